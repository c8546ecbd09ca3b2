import { randomBytes } from 'node:crypto';

import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';

import { computeContentCid } from './content-cid.js';
import { CONTENT_CHUNK_SIZE } from './import-options.js';
import { DAG_PB_CODE } from './parse-content-cid.js';

async function rawBlockCid(bytes: Uint8Array): Promise<string> {
  return CID.create(1, raw.code, await sha256.digest(bytes)).toString();
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

async function* slowly(parts: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

describe('computeContentCid', () => {
  it('gives the raw block CID, sha256 of the bytes, for content of one chunk', async () => {
    const bytes = randomBytes(1000);
    expect(await computeContentCid([bytes])).toBe(await rawBlockCid(bytes));

    const fullChunk = randomBytes(CONTENT_CHUNK_SIZE);
    const cid = await computeContentCid([fullChunk]);
    expect(cid).toBe(await rawBlockCid(fullChunk));
    expect(cid.startsWith('bafkrei')).toBe(true);
  });

  it('gives a dag-pb root as soon as the content spans two chunks', async () => {
    const oneByteOver = randomBytes(CONTENT_CHUNK_SIZE + 1);
    expect(CID.parse(await computeContentCid([oneByteOver])).code).toBe(DAG_PB_CODE);

    const mebibyte = randomBytes(1 << 20);
    const cid = CID.parse(await computeContentCid([mebibyte]));
    expect(cid.version).toBe(1);
    expect(cid.code).toBe(DAG_PB_CODE);
    expect(cid.multihash.code).toBe(sha256.code);
    expect(cid.toString().startsWith('bafybei')).toBe(true);
  });

  it('does not depend on how the bytes are split, nor on sync or async input', async () => {
    const bytes = randomBytes(CONTENT_CHUNK_SIZE * 2 + 12_345);
    const whole = await computeContentCid([bytes]);
    expect(await computeContentCid(pieces(bytes, 1))).toBe(whole);
    expect(await computeContentCid(pieces(bytes, 100_000))).toBe(whole);
    expect(await computeContentCid(slowly(pieces(bytes, 65_536)))).toBe(whole);

    const small = randomBytes(300);
    expect(await computeContentCid(pieces(small, 1))).toBe(await rawBlockCid(small));
  });

  it('tells different content apart', async () => {
    const bytes = randomBytes(CONTENT_CHUNK_SIZE * 3);
    const changed = Uint8Array.from(bytes);
    changed[CONTENT_CHUNK_SIZE * 2 + 7]! ^= 0x01;
    expect(await computeContentCid([changed])).not.toBe(await computeContentCid([bytes]));
  });

  // Well-known CIDv1 raw-block CIDs (the empty block and "hello"), cross-checked with CID.create.
  it('gives the well-known CIDs of the empty content and of "hello"', async () => {
    const empty = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';
    expect(await rawBlockCid(new Uint8Array(0))).toBe(empty);
    expect(await computeContentCid([])).toBe(empty);
    expect(await computeContentCid([new Uint8Array(0)])).toBe(empty);

    const hello = new TextEncoder().encode('hello');
    const helloCid = 'bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq';
    expect(await rawBlockCid(hello)).toBe(helloCid);
    expect(await computeContentCid([hello])).toBe(helloCid);
  });

  // Regression vectors computed with these settings (ipfs-unixfs-importer 17.1): a library upgrade
  // or a changed default that moves any of them would change every multi-chunk content's CID.
  it('keeps the CIDs of fixed multi-chunk inputs', async () => {
    expect(await computeContentCid([new Uint8Array(CONTENT_CHUNK_SIZE + 1)])).toBe(
      'bafybeigllfqgfpqydppr6cmv56g7ax4wyhruzswvcefv6j5kj77nzttfki',
    );
    expect(await computeContentCid([new Uint8Array(1 << 20)])).toBe(
      'bafybeiggzq4ryi7hscq5hzvzcnk4urnxt3asp37dhgvnjilf7exskximla',
    );
    // 175 leaves: one more than a dag-pb node holds, so the balanced tree gains a level.
    expect(await computeContentCid([new Uint8Array(175 * CONTENT_CHUNK_SIZE)])).toBe(
      'bafybeigfps5vzivfspwgm3uwsfyl5s6bn3ysh7uqidgauxgopw4yi66lse',
    );
  });
});
