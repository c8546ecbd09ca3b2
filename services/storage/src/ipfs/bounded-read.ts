import { setMaxListeners } from 'node:events';

import { ContentStoreError, ContentStoreErrorCode } from './content-store-error.js';

export interface BoundedReadOptions {
  /** The CID being read, for error messages. */
  readonly cid: string;
  /** How long one step of the read (the next block, local or fetched) may take. */
  readonly stallTimeoutMs: number;
  /** The caller's signal; aborting it ends the read like a stall does. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `open`'s iterator so that it cannot hang: each step must deliver within `stallTimeoutMs`
 * (the clock runs only while we wait for the source, not while the consumer holds a chunk), else
 * the source is aborted through its signal and the read fails with a ContentStoreError
 * (Unavailable). A bound per step, not per read, so large content is not cut off while it flows.
 */
export async function* boundedRead(
  open: (signal: AbortSignal) => AsyncIterable<Uint8Array>,
  { cid, stallTimeoutMs, signal }: BoundedReadOptions,
): AsyncGenerator<Uint8Array> {
  const controller = new AbortController();
  // The exporter listens on this signal once per block in flight; that is not a leak.
  setMaxListeners(Infinity, controller.signal);
  // Rejects once the read is aborted, so a source that ignores its signal still cannot hang us.
  const abortedRead = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), {
      once: true,
    });
  });
  abortedRead.catch(() => undefined);
  const onCallerAbort = (): void =>
    controller.abort(unavailable(cid, 'the read was aborted by its caller', signal?.reason));
  if (signal?.aborted) onCallerAbort();
  else signal?.addEventListener('abort', onCallerAbort, { once: true });

  let iterator: AsyncIterator<Uint8Array> | undefined;
  let finished = false;
  try {
    iterator = open(controller.signal)[Symbol.asyncIterator]();
    for (;;) {
      const timer = setTimeout(
        () =>
          controller.abort(
            unavailable(
              cid,
              `no block arrived within ${stallTimeoutMs} ms (not held here, no connected peer sent it)`,
            ),
          ),
        stallTimeoutMs,
      );
      let step: IteratorResult<Uint8Array>;
      try {
        const next = iterator.next();
        next.catch(() => undefined);
        step = await Promise.race([next, abortedRead]);
      } catch (error) {
        throw translate(error, controller.signal, cid);
      } finally {
        clearTimeout(timer);
      }
      if (step.done === true) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    signal?.removeEventListener('abort', onCallerAbort);
    if (!finished) {
      // Ended early (error, abort, or the consumer stopped): release the source without waiting
      // for it, since a source stuck on the network may not settle at once.
      controller.abort();
      iterator?.return?.().catch(() => undefined);
    }
  }
}

function unavailable(cid: string, problem: string, cause?: unknown): ContentStoreError {
  return new ContentStoreError(
    ContentStoreErrorCode.Unavailable,
    `content ${cid}: ${problem}`,
    { cid },
    cause === undefined ? undefined : { cause },
  );
}

/** The exporter's and @helia/unixfs's error names that mean "this CID is not file content". */
const NOT_CONTENT_ERRORS = new Set(['NotAFileError', 'NotUnixFSError', 'NoContentError']);

/** The exporter's errors for a DAG whose leaves hold more or fewer bytes than its root says. */
const CORRUPT_ERRORS = new Set(['UnderReadError', 'OverReadError']);

function translate(error: unknown, readSignal: AbortSignal, cid: string): unknown {
  if (readSignal.aborted) {
    const reason: unknown = readSignal.reason;
    if (reason instanceof ContentStoreError) return reason;
    return unavailable(cid, 'the read was aborted', error);
  }
  const name = error instanceof Error ? error.name : undefined;
  if (name !== undefined && NOT_CONTENT_ERRORS.has(name)) {
    return new ContentStoreError(
      ContentStoreErrorCode.NotContent,
      `content ${cid}: is not file content (${name})`,
      { cid },
      { cause: error },
    );
  }
  if (name !== undefined && CORRUPT_ERRORS.has(name)) {
    return new ContentStoreError(
      ContentStoreErrorCode.Corrupt,
      `content ${cid}: its blocks do not add up (${name}); a stored block is damaged`,
      { cid },
      { cause: error },
    );
  }
  if (name === 'InvalidParametersError') {
    return new ContentStoreError(
      ContentStoreErrorCode.InvalidRange,
      `content ${cid}: ${(error as Error).message}`,
      { cid },
      { cause: error },
    );
  }
  return error;
}
