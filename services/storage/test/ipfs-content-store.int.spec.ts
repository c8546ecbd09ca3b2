import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONTENT_CHUNK_SIZE, computeContentCid } from '@sec-health/content-address';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ContentStoreErrorCode,
  isContentStoreError,
  startHeliaContentStore,
  type ContentStore,
  type HeliaContentStore,
} from '../src/ipfs/index.js';

// A loopback-only pair of nodes (A holds the content, B fetches it over bitswap), plus nodes
// started per test for restart, isolation and tamper checks. Every node stops in afterAll.
const FIVE_MIB = 5 * 1024 * 1024;
/** Short, so the "nobody has it" cases end quickly; loopback blocks arrive in milliseconds. */
const FETCH_TIMEOUT_MS = 1_500;
/** A valid content CID that no node here holds: the raw block of 32 zero bytes. */
const UNKNOWN_CID = 'bafkreidgnb5k36dcxv3wzd6brohj7drabclrjblo4iz3hebkleoq2xzjeu';

const directories: string[] = [];
const running: ContentStore[] = [];

async function newDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'sec-health-ipfs-'));
  directories.push(directory);
  return directory;
}

async function startNode(
  options: { directory?: string; bootstrap?: string[] } = {},
): Promise<HeliaContentStore> {
  const store = await startHeliaContentStore({
    directory: options.directory ?? (await newDirectory()),
    bootstrap: options.bootstrap,
    fetchTimeoutMs: FETCH_TIMEOUT_MS,
  });
  running.push(store);
  return store;
}

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

async function readError(source: () => AsyncIterable<Uint8Array>): Promise<unknown> {
  try {
    await readAll(source());
  } catch (error) {
    return error;
  }
  throw new Error('the read was expected to fail');
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

/** Every file under `directory`, recursively. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const content = randomBytes(FIVE_MIB);
let nodeA: HeliaContentStore;
let nodeB: HeliaContentStore;
let cid: string;

beforeAll(async () => {
  nodeA = await startNode();
  nodeB = await startNode();
  // Odd-sized pieces: the chunker, not the caller, decides the blocks.
  const added = await nodeA.add(pieces(content, 100_003));
  cid = added.cid;
  expect(added.size).toBe(FIVE_MIB);
});

afterAll(async () => {
  await Promise.all(running.map((store) => store.stop()));
  await Promise.all(
    directories.map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

describe('HeliaContentStore', () => {
  it('names content by the CID the shared import settings compute', async () => {
    expect(cid).toBe(await computeContentCid([content]));
    expect(cid.startsWith('bafybei')).toBe(true);
    expect(await nodeA.has(cid)).toBe(true);
    expect(await nodeB.has(cid)).toBe(false);
  });

  it('exposes dialable addresses that carry its peer id', () => {
    expect(nodeA.multiaddrs().length).toBeGreaterThan(0);
    for (const address of nodeA.multiaddrs()) {
      expect(address.startsWith('/ip4/127.0.0.1/tcp/')).toBe(true);
      expect(address.endsWith(`/p2p/${nodeA.peerId}`)).toBe(true);
    }
    expect(nodeB.peerId).not.toBe(nodeA.peerId);
  });

  it('serves content to a peer over bitswap, byte for byte', async () => {
    await nodeB.dial(nodeA.multiaddrs()[0]!);
    const fetched = await readAll(nodeB.read(cid));
    expect(fetched.equals(content)).toBe(true);
    // Fetched blocks are cached, not pinned: B does not claim to hold the content.
    expect(await nodeB.has(cid)).toBe(false);
  });

  it('reads ranges, across chunk boundaries and up to the end', async () => {
    const ranges: [offset: number, length: number | undefined][] = [
      [0, 10],
      [CONTENT_CHUNK_SIZE - 5, 10],
      [CONTENT_CHUNK_SIZE * 3 + 17, CONTENT_CHUNK_SIZE * 2 + 1],
      [FIVE_MIB - 100, undefined],
      [FIVE_MIB - 100, 1_000],
      [FIVE_MIB, undefined],
      [1234, 0],
    ];
    for (const [offset, length] of ranges) {
      const end = length === undefined ? FIVE_MIB : Math.min(FIVE_MIB, offset + length);
      const expected = content.subarray(offset, end);
      expect((await readAll(nodeA.read(cid, { offset, length }))).equals(expected)).toBe(true);
      expect((await readAll(nodeB.read(cid, { offset, length }))).equals(expected)).toBe(true);
    }
  });

  it('refuses bad ranges, bad CIDs and bad peer addresses with coded errors', async () => {
    const past = await readError(() => nodeA.read(cid, { offset: FIVE_MIB + 1 }));
    expect(isContentStoreError(past, ContentStoreErrorCode.InvalidRange)).toBe(true);
    expect(() => nodeA.read(cid, { offset: -1 })).toThrow(
      expect.objectContaining({ code: ContentStoreErrorCode.InvalidRange }),
    );
    expect(() => nodeA.read(cid, { length: 1.5 })).toThrow(
      expect.objectContaining({ code: ContentStoreErrorCode.InvalidRange }),
    );

    const v0 = 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG';
    expect(() => nodeA.read(v0)).toThrow(
      expect.objectContaining({ code: ContentStoreErrorCode.InvalidCid }),
    );
    await expect(nodeA.has('not a cid')).rejects.toMatchObject({
      code: ContentStoreErrorCode.InvalidCid,
    });

    await expect(nodeB.dial('/ip4/127.0.0.1/tcp/1')).rejects.toMatchObject({
      code: ContentStoreErrorCode.InvalidMultiaddr,
    });
    await expect(nodeB.dial('not a multiaddr')).rejects.toMatchObject({
      code: ContentStoreErrorCode.InvalidMultiaddr,
    });
  });

  it('fails a read of content nobody connected holds with Unavailable, not a hang', async () => {
    const lonely = await startNode();
    const error = await readError(() => lonely.read(UNKNOWN_CID));
    expect(isContentStoreError(error, ContentStoreErrorCode.Unavailable)).toBe(true);
    expect((error as Error).message).toContain(UNKNOWN_CID);

    // Connected to A, which does not have it either: the same, bounded.
    const fromPeer = await readError(() => nodeB.read(UNKNOWN_CID));
    expect(isContentStoreError(fromPeer, ContentStoreErrorCode.Unavailable)).toBe(true);
  });

  it("ends a read when the caller's signal aborts", async () => {
    const lonely = await startNode();
    const controller = new AbortController();
    const reading = readError(() => lonely.read(UNKNOWN_CID, { signal: controller.signal }));
    controller.abort();
    expect(isContentStoreError(await reading, ContentStoreErrorCode.Unavailable)).toBe(true);

    const already = await readError(() => lonely.read(cid, { signal: AbortSignal.abort() }));
    expect(isContentStoreError(already, ContentStoreErrorCode.Unavailable)).toBe(true);
  });

  it('connects to bootstrap peers at start', async () => {
    const booted = await startNode({ bootstrap: [nodeA.multiaddrs()[0]!] });
    const slice = await readAll(booted.read(cid, { offset: 4_000_000, length: 50_000 }));
    expect(slice.equals(content.subarray(4_000_000, 4_050_000))).toBe(true);
  });

  it('starts even when a bootstrap peer is down', async () => {
    const gone = await startNode();
    const goneAddress = gone.multiaddrs()[0]!;
    await gone.stop();
    const node = await startNode({ bootstrap: [goneAddress] });
    expect(node.multiaddrs().length).toBeGreaterThan(0);
  });

  it('keeps its peer id and its pinned content across a restart on the same directory', async () => {
    const directory = await newDirectory();
    const first = await startNode({ directory });
    const small = randomBytes(CONTENT_CHUNK_SIZE + 10);
    const added = await first.add([small]);
    const peerId = first.peerId;
    await first.stop();
    await expect(first.has(added.cid)).rejects.toMatchObject({
      code: ContentStoreErrorCode.Stopped,
    });

    const again = await startNode({ directory });
    expect(again.peerId).toBe(peerId);
    expect(again.multiaddrs().every((address) => address.endsWith(`/p2p/${peerId}`))).toBe(true);
    expect(await again.has(added.cid)).toBe(true);
    // No peer is connected: the bytes come from its own disk.
    expect((await readAll(again.read(added.cid))).equals(small)).toBe(true);
  });

  it('adds the same content twice as one pinned content, and unpins it', async () => {
    const node = await startNode();
    const bytes = randomBytes(1000);
    const first = await node.add([bytes]);
    const second = await node.add(pieces(bytes, 7));
    expect(second).toEqual(first);
    expect(first.cid).toBe(await computeContentCid([bytes]));
    expect(await node.has(first.cid)).toBe(true);
    await node.unpin(first.cid);
    expect(await node.has(first.cid)).toBe(false);
    await node.unpin(first.cid);
    expect(await node.has(first.cid)).toBe(false);
  });

  it('adds empty content as the empty raw block', async () => {
    const node = await startNode();
    const added = await node.add([]);
    expect(added).toEqual({ cid: await computeContentCid([]), size: 0 });
    expect((await readAll(node.read(added.cid))).length).toBe(0);
  });
});

// What Helia does with a block altered on disk (no verification of local blocks: Helia re-hashes
// only blocks fetched from peers). The storage service also checks the SHA-256 of whole content
// against the chain anchor; these record what that check has to catch.
describe('HeliaContentStore with a block altered on disk', () => {
  /** Two full chunks and a 5,000-byte last one: a dag-pb root over three raw leaves. */
  const LAST_LEAF_SIZE = 5_000;

  async function holdContent() {
    const directory = await newDirectory();
    const holder = await startNode({ directory });
    const bytes = randomBytes(CONTENT_CHUNK_SIZE * 2 + LAST_LEAF_SIZE);
    const { cid: contentCid } = await holder.add([bytes]);
    /** The block file whose stored bytes satisfy `predicate`. */
    const fileHolding = async (predicate: (stored: Buffer) => boolean): Promise<string> => {
      for (const file of await filesUnder(join(directory, 'blocks'))) {
        if (predicate(await readFile(file))) return file;
      }
      throw new Error('no such block file');
    };
    return { holder, bytes, contentCid, fileHolding };
  }

  it('returns the altered bytes of a flipped leaf without error; a peer refuses that block', async () => {
    const { holder, bytes, contentCid, fileHolding } = await holdContent();
    const secondChunk = bytes.subarray(CONTENT_CHUNK_SIZE, CONTENT_CHUNK_SIZE * 2);
    const leafFile = await fileHolding((stored) => stored.equals(secondChunk));
    const leaf = await readFile(leafFile);
    leaf[1000]! ^= 0x01;
    await writeFile(leafFile, leaf);

    const local = await readAll(holder.read(contentCid));
    const expected = Buffer.from(bytes);
    expected[CONTENT_CHUNK_SIZE + 1000]! ^= 0x01;
    expect(local.equals(expected)).toBe(true);
    expect(createHash('sha256').update(local).digest('hex')).not.toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );

    // A peer checks each fetched block against its CID: the altered block never arrives.
    const peer = await startNode({ bootstrap: [holder.multiaddrs()[0]!] });
    const error = await readError(() => peer.read(contentCid));
    expect(isContentStoreError(error, ContentStoreErrorCode.Unavailable)).toBe(true);
    const head = await readAll(peer.read(contentCid, { length: CONTENT_CHUNK_SIZE }));
    expect(head.equals(bytes.subarray(0, CONTENT_CHUNK_SIZE))).toBe(true);
  });

  it('fails with Corrupt when a leaf is shorter than its root says', async () => {
    const { holder, contentCid, fileHolding } = await holdContent();
    const lastLeafFile = await fileHolding((stored) => stored.length === LAST_LEAF_SIZE);
    await writeFile(lastLeafFile, (await readFile(lastLeafFile)).subarray(0, LAST_LEAF_SIZE - 1));

    const error = await readError(() => holder.read(contentCid));
    expect(isContentStoreError(error, ContentStoreErrorCode.Corrupt)).toBe(true);
  });

  it("silently returns fewer bytes when the root's size of a leaf is lowered", async () => {
    const { holder, bytes, contentCid, fileHolding } = await holdContent();
    // The root is the one small block; it ends with the UnixFS blocksizes, the last being 5,000
    // (varint 0x88 0x27). Flipping the last bit makes it 4,872.
    const rootFile = await fileHolding((stored) => stored.length < 1_000);
    const root = await readFile(rootFile);
    expect(root.subarray(-2).toString('hex')).toBe('8827');
    root[root.length - 1]! ^= 0x01;
    await writeFile(rootFile, root);

    const local = await readAll(holder.read(contentCid));
    expect(local.length).toBe(bytes.length - 128);
    expect(local.equals(bytes.subarray(0, bytes.length - 128))).toBe(true);
  });
});
