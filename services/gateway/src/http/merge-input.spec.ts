import { isProtocolError } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { mergeInput } from './merge-input.js';

describe('mergeInput', () => {
  it('merges path, query and a POST body', () => {
    expect(mergeInput('post', { params: { a: '1' }, query: { b: '2' }, body: { c: 3 } })).toEqual({
      a: '1',
      b: '2',
      c: 3,
    });
  });

  it('ignores a body on GET and accepts a missing body on POST', () => {
    expect(mergeInput('get', { params: {}, query: {}, body: { c: 3 } })).toEqual({});
    expect(mergeInput('post', { params: {}, query: {}, body: undefined })).toEqual({});
  });

  it('keeps a __proto__ key as an own field instead of a prototype', () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const merged = mergeInput('post', { params: {}, query: {}, body });
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect((merged as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it.each([
    ['a duplicate name', { params: { a: '1' }, query: {}, body: { a: '1' } }],
    ['an array body', { params: {}, query: {}, body: [] }],
    ['a string body', { params: {}, query: {}, body: 'x' }],
  ])('refuses %s with VALIDATION_FAILED', (_name, input) => {
    let caught: unknown;
    try {
      mergeInput('post', input);
    } catch (error) {
      caught = error;
    }
    expect(isProtocolError(caught, 'VALIDATION_FAILED')).toBe(true);
  });
});
