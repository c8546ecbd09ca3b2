import { describe, expect, it } from 'vitest';

import { causes, UNREACHABLE_SOCKET_CODES } from './network.js';

describe('causes', () => {
  it('walks the cause chain, bounded even when it loops', () => {
    const root = new Error('root');
    const middle = new Error('middle', { cause: root });
    const top = new Error('top', { cause: middle });
    expect([...causes(top)]).toEqual([top, middle, root]);
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop;
    expect([...causes(loop)]).toHaveLength(5);
    expect([...causes(undefined)]).toEqual([]);
  });

  it('knows the socket codes of an unreachable server', () => {
    expect(UNREACHABLE_SOCKET_CODES.has('ECONNREFUSED')).toBe(true);
    expect(UNREACHABLE_SOCKET_CODES.has('EACCES')).toBe(false);
  });
});
