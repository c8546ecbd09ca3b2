import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { boundedRead } from './bounded-read.js';
import { ContentStoreErrorCode, isContentStoreError } from './content-store-error.js';

const cid = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

async function collect(source: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of source) out.push(...chunk);
  return out;
}

async function failure(source: AsyncIterable<Uint8Array>): Promise<unknown> {
  try {
    await collect(source);
  } catch (error) {
    return error;
  }
  throw new Error('expected the read to fail');
}

/** A source that never delivers and never looks at its signal. */
function stuck(): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) };
}

function failing(name: string): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield bytes(1);
    const error = new Error(`a ${name}`);
    error.name = name;
    throw error;
  })();
}

describe('boundedRead', () => {
  it('passes a well-behaved source through unchanged', async () => {
    const source = async function* () {
      yield bytes(1, 2);
      yield bytes(3);
    };
    expect(await collect(boundedRead(source, { cid, stallTimeoutMs: 1_000 }))).toEqual([1, 2, 3]);
  });

  it('fails with Unavailable when the source stalls, even if it ignores its signal', async () => {
    const error = await failure(boundedRead(stuck, { cid, stallTimeoutMs: 50 }));
    expect(isContentStoreError(error, ContentStoreErrorCode.Unavailable)).toBe(true);
    expect((error as Error).message).toContain(cid);
  });

  it("does not count the consumer's time against the source", async () => {
    const source = async function* () {
      yield bytes(1);
      yield bytes(2);
    };
    const seen: number[] = [];
    for await (const chunk of boundedRead(source, { cid, stallTimeoutMs: 20 })) {
      seen.push(...chunk);
      await sleep(100);
    }
    expect(seen).toEqual([1, 2]);
  });

  it("fails with Unavailable when the caller's signal aborts, and aborts the source", async () => {
    const controller = new AbortController();
    let sourceSignal: AbortSignal | undefined;
    const reading = failure(
      boundedRead(
        (signal) => {
          sourceSignal = signal;
          return stuck();
        },
        { cid, stallTimeoutMs: 60_000, signal: controller.signal },
      ),
    );
    await sleep(10);
    controller.abort(new Error('caller gave up'));
    const error = await reading;
    expect(isContentStoreError(error, ContentStoreErrorCode.Unavailable)).toBe(true);
    expect(sourceSignal?.aborted).toBe(true);
  });

  it('aborts the source when the consumer stops early', async () => {
    let sourceSignal: AbortSignal | undefined;
    const source = (signal: AbortSignal) => {
      sourceSignal = signal;
      return (async function* () {
        for (let i = 0; ; i++) yield bytes(i);
      })();
    };
    for await (const _chunk of boundedRead(source, { cid, stallTimeoutMs: 1_000 })) break;
    expect(sourceSignal?.aborted).toBe(true);
  });

  it.each([
    ['NotAFileError', ContentStoreErrorCode.NotContent],
    ['NotUnixFSError', ContentStoreErrorCode.NotContent],
    ['UnderReadError', ContentStoreErrorCode.Corrupt],
    ['OverReadError', ContentStoreErrorCode.Corrupt],
    ['InvalidParametersError', ContentStoreErrorCode.InvalidRange],
  ])('turns the exporter error %s into %s', async (name, code) => {
    const error = await failure(boundedRead(() => failing(name), { cid, stallTimeoutMs: 1_000 }));
    expect(isContentStoreError(error, code)).toBe(true);
    expect((error as Error).cause).toMatchObject({ name });
  });

  it('lets other errors through as they are', async () => {
    const error = await failure(
      boundedRead(() => failing('SomethingElse'), { cid, stallTimeoutMs: 1_000 }),
    );
    expect(isContentStoreError(error)).toBe(false);
    expect(error).toMatchObject({ name: 'SomethingElse' });
  });
});
