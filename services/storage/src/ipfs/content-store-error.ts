import { CodedError, errorGuard } from '@sec-health/errors';

/** Every failure of a ContentStore is a ContentStoreError with one of these codes. */
export const ContentStoreErrorCode = {
  /** The CID is not a content CID (CIDv1 base32, raw or dag-pb, SHA-256); `cause` says why. */
  InvalidCid: 'STORAGE_CONTENT_INVALID_CID',
  /** The offset or length of a range read is not a non-negative safe integer. */
  InvalidRange: 'STORAGE_CONTENT_INVALID_RANGE',
  /**
   * The content is not held here and no connected peer delivered the next block within the
   * fetch timeout (or the caller's signal aborted): retry later, or connect a peer that has it.
   */
  Unavailable: 'STORAGE_CONTENT_UNAVAILABLE',
  /**
   * The content's own blocks contradict each other (the root announces more or fewer bytes than
   * its leaves hold): a block held here was altered or damaged.
   */
  Corrupt: 'STORAGE_CONTENT_CORRUPT',
  /** The CID names something that is not file content (a UnixFS directory, say). */
  NotContent: 'STORAGE_CONTENT_NOT_CONTENT',
  /** A multiaddr given to listen on, bootstrap from or dial is not valid, or lacks /p2p/. */
  InvalidMultiaddr: 'STORAGE_IPFS_INVALID_MULTIADDR',
  /** A peer could not be dialled. */
  DialFailed: 'STORAGE_IPFS_DIAL_FAILED',
  /** The store was used after stop(). */
  Stopped: 'STORAGE_IPFS_STOPPED',
} as const;
export type ContentStoreErrorCode =
  (typeof ContentStoreErrorCode)[keyof typeof ContentStoreErrorCode];

export class ContentStoreError extends CodedError<ContentStoreErrorCode> {}

export const isContentStoreError = errorGuard(ContentStoreError);
