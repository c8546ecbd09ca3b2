/** What `add` stored: the content's root CID (CIDv1 base32) and its length in bytes. */
export interface AddedContent {
  readonly cid: string;
  readonly size: number;
}

export interface ReadContentOptions {
  /** First byte to return; default 0. */
  readonly offset?: number;
  /** How many bytes to return at most; default to the end. */
  readonly length?: number;
  /** Aborts the read; the iterator then throws a ContentStoreError (Unavailable). */
  readonly signal?: AbortSignal;
}

/**
 * Where record ciphertext lives as IPFS content. Content is imported with the one shared
 * setting (@sec-health/content-address), so its CID is the one the author computed and signed.
 * Every method refuses a CID that is not a content CID with a ContentStoreError (InvalidCid).
 */
export interface ContentStore {
  /** Imports and pins `chunks`; resolves once every block is stored and the root is pinned. */
  add(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<AddedContent>;

  /**
   * Streams the content (or the `offset`/`length` range of it). Blocks not held here are fetched
   * from connected peers; when none arrives within the store's fetch timeout the iterator throws
   * a ContentStoreError (Unavailable) rather than waiting for ever.
   */
  read(cid: string, options?: ReadContentOptions): AsyncIterable<Uint8Array>;

  /** True when this store holds the content pinned (every block local, nothing to fetch). */
  has(cid: string): Promise<boolean>;

  /** Drops the pin; blocks stay until a garbage collection. Unpinning what is not pinned is a no-op. */
  unpin(cid: string): Promise<void>;

  /** Stops the node and closes its storage; idempotent. */
  stop(): Promise<void>;
}
