// On Node 20 Helia needs Promise.withResolvers; the reader below is plain Helia otherwise.
import '../src/ipfs/promise-with-resolvers.js';

import { createHash, randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { unixfs } from '@helia/unixfs';
import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createHelia } from 'helia';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { startHeliaContentStore, type HeliaContentStore } from '../src/ipfs/index.js';

// Anyone with an ordinary IPFS implementation can fetch stored ciphertext by its CID: a stock
// Helia node with in-memory storage, configured here with none of our code, reads it from the
// storage service's node. Kept to loopback: no bootstrap list, discovery, DHT or HTTP gateways.
function createPlainHelia() {
  return createHelia({
    http: { delegatedRouters: [], recursiveGateways: [] },
    libp2p: {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      peerDiscovery: [],
      services: { identify: identify() },
    },
  });
}

let directory: string;
let store: HeliaContentStore;
let reader: ReturnType<typeof createPlainHelia>;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sec-health-ipfs-'));
  store = await startHeliaContentStore({ directory });
  reader = createPlainHelia();
  await reader.start();
});

afterAll(async () => {
  await reader?.stop();
  await store?.stop();
  await rm(directory, { recursive: true, force: true });
});

it('a plain Helia node fetches stored content by CID, SHA-256 intact', async () => {
  const content = randomBytes(3 * 1024 * 1024 + 321);
  const { cid } = await store.add([content]);

  await reader.libp2p.dial(multiaddr(store.multiaddrs()[0]), {
    signal: AbortSignal.timeout(10_000),
  });
  const hash = createHash('sha256');
  let length = 0;
  const signal = AbortSignal.timeout(30_000);
  setMaxListeners(Infinity, signal); // one listener per block in flight
  for await (const chunk of unixfs(reader).cat(CID.parse(cid), { signal })) {
    hash.update(chunk);
    length += chunk.byteLength;
  }

  expect(length).toBe(content.length);
  expect(hash.digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
});
