import './promise-with-resolvers.js';

import { unixfs, type UnixFS } from '@helia/unixfs';
import {
  CONTENT_IMPORT_OPTIONS,
  isContentAddressError,
  parseContentCid,
} from '@sec-health/content-address';
import type { CID } from 'multiformats/cid';

import { boundedRead } from './bounded-read.js';
import { ContentStoreError, ContentStoreErrorCode } from './content-store-error.js';
import type { AddedContent, ContentStore, ReadContentOptions } from './content-store.js';
import { createHeliaNode, type HeliaNode } from './helia-node.js';
import { parseMultiaddr, parsePeerMultiaddr } from './peer-multiaddr.js';

/** The few logger calls the store makes; a pino Logger fits. */
export interface ContentStoreLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface HeliaContentStoreOptions {
  /** Where blocks (<directory>/blocks) and the node's datastore (<directory>/data) live. */
  readonly directory: string;
  /** Multiaddrs to listen on; default loopback, any port. */
  readonly listen?: readonly string[];
  /** Peers (multiaddrs ending in /p2p/<peer id>) to dial at start and keep connected. */
  readonly bootstrap?: readonly string[];
  /** How long one block may take to arrive (local or from a peer) before a read fails. */
  readonly fetchTimeoutMs?: number;
  readonly logger?: ContentStoreLogger;
}

export const DEFAULT_LISTEN: readonly string[] = ['/ip4/127.0.0.1/tcp/0'];
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** Bounds each dial, so an unreachable bootstrap peer cannot stall start(). */
const DIAL_TIMEOUT_MS = 10_000;
/** libp2p redials peers carrying this tag when their connection drops (KEEP_ALIVE). */
const KEEP_ALIVE_TAG = 'keep-alive';

/** Starts a Helia-backed ContentStore; see {@link HeliaContentStoreOptions}. */
export async function startHeliaContentStore(
  options: HeliaContentStoreOptions,
): Promise<HeliaContentStore> {
  const listen = options.listen ?? DEFAULT_LISTEN;
  listen.forEach((address, index) => parseMultiaddr(address, `listen[${index}]`));
  const bootstrap = (options.bootstrap ?? []).map((address, index) => {
    parsePeerMultiaddr(address, `bootstrap[${index}]`);
    return address;
  });
  const fetchTimeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!Number.isSafeInteger(fetchTimeoutMs) || fetchTimeoutMs <= 0) {
    throw new RangeError(`fetchTimeoutMs: must be a positive integer, got ${fetchTimeoutMs}`);
  }

  const { helia, close } = await createHeliaNode({ directory: options.directory, listen });
  try {
    await helia.start();
  } catch (error) {
    await helia.stop().catch(() => undefined);
    await close();
    throw error;
  }
  const store = new HeliaContentStore(helia, close, fetchTimeoutMs, options.logger);
  options.logger?.info(
    { peerId: store.peerId, multiaddrs: store.multiaddrs() },
    'IPFS node started',
  );
  await Promise.all(
    bootstrap.map(async (address) => {
      try {
        await store.dial(address);
      } catch (error) {
        // A peer that is down now is redialled by libp2p only once it was connected; log and go on.
        options.logger?.warn(
          { peer: address, error: error instanceof Error ? error.message : String(error) },
          'IPFS bootstrap peer not reachable',
        );
      }
    }),
  );
  return store;
}

/** ContentStore on the storage service's own Helia node. Create with {@link startHeliaContentStore}. */
export class HeliaContentStore implements ContentStore {
  private readonly fs: UnixFS;
  private stopped: Promise<void> | undefined;

  /** @internal use startHeliaContentStore */
  constructor(
    private readonly helia: HeliaNode,
    private readonly closeStorage: () => Promise<void>,
    private readonly fetchTimeoutMs: number,
    private readonly logger: ContentStoreLogger | undefined,
  ) {
    this.fs = unixfs(helia);
  }

  /** This node's libp2p peer id (base58btc text), stable across restarts on one directory. */
  get peerId(): string {
    return this.helia.libp2p.peerId.toString();
  }

  /** The addresses peers can dial, each ending in /p2p/<peer id>. */
  multiaddrs(): string[] {
    return this.helia.libp2p.getMultiaddrs().map((address) => address.toString());
  }

  /** Connects to a peer (multiaddr ending in /p2p/<peer id>) and keeps it connected. */
  async dial(address: string): Promise<void> {
    this.assertRunning();
    const target = parsePeerMultiaddr(address, 'address');
    try {
      const connection = await this.helia.libp2p.dial(target, {
        signal: AbortSignal.timeout(DIAL_TIMEOUT_MS),
      });
      await this.helia.libp2p.peerStore.merge(connection.remotePeer, {
        tags: { [KEEP_ALIVE_TAG]: { value: 1 } },
      });
    } catch (cause) {
      throw new ContentStoreError(
        ContentStoreErrorCode.DialFailed,
        `could not connect to peer ${address}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { peer: address },
        { cause },
      );
    }
  }

  async add(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<AddedContent> {
    this.assertRunning();
    let size = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        size += chunk.byteLength;
        yield chunk;
      }
    }
    const cid = await this.fs.addByteStream(counted(), { ...CONTENT_IMPORT_OPTIONS });
    await this.pin(cid);
    return { cid: cid.toString(), size };
  }

  read(cid: string, options: ReadContentOptions = {}): AsyncIterable<Uint8Array> {
    this.assertRunning();
    const root = toCid(cid);
    const offset = checkRange(options.offset, 'offset');
    const length = checkRange(options.length, 'length');
    return boundedRead((signal) => this.fs.cat(root, { offset, length, signal }), {
      cid,
      stallTimeoutMs: this.fetchTimeoutMs,
      signal: options.signal,
    });
  }

  async has(cid: string): Promise<boolean> {
    this.assertRunning();
    return this.helia.pins.isPinned(toCid(cid));
  }

  async unpin(cid: string): Promise<void> {
    this.assertRunning();
    try {
      for await (const _block of this.helia.pins.rm(toCid(cid))) {
        // draining the generator is what unpins each block
      }
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFoundError') return;
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped ??= (async () => {
      await this.helia.stop();
      await this.closeStorage();
      this.logger?.info({ peerId: this.peerId }, 'IPFS node stopped');
    })();
    return this.stopped;
  }

  private async pin(cid: CID): Promise<void> {
    try {
      for await (const _block of this.helia.pins.add(cid)) {
        // draining the generator is what pins each block
      }
    } catch (error) {
      // The same content added twice (or by two requests at once) is one pinned content.
      if (error instanceof Error && error.name === 'AlreadyPinnedError') return;
      throw error;
    }
  }

  private assertRunning(): void {
    if (this.stopped !== undefined) {
      throw new ContentStoreError(
        ContentStoreErrorCode.Stopped,
        'the IPFS content store is stopped',
      );
    }
  }
}

function toCid(text: string): CID {
  try {
    return parseContentCid(text, 'cid');
  } catch (error) {
    if (!isContentAddressError(error)) throw error;
    throw new ContentStoreError(ContentStoreErrorCode.InvalidCid, error.message, error.details, {
      cause: error,
    });
  }
}

function checkRange(value: number | undefined, parameter: 'offset' | 'length'): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ContentStoreError(
      ContentStoreErrorCode.InvalidRange,
      `${parameter}: must be a non-negative integer, got ${value}`,
      { parameter },
    );
  }
  return value;
}
