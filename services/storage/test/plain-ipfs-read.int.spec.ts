// On Node 20 Helia needs Promise.withResolvers; the reader below is plain Helia otherwise.
import '../src/ipfs/promise-with-resolvers.js';

import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';

import { unixfs } from '@helia/unixfs';
import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { randomBytes } from '@sec-health/crypto';
import { uuidToBytes32 } from '@sec-health/protocol';
import { createHelia } from 'helia';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { recordAnchoredOf } from './support/chain-reads.js';
import { participant } from './support/participants.js';
import { buildRecord } from './support/record-builder.js';
import { awaitVerified, storeRecord } from './support/record-steps.js';
import { setupStorageEnv, type StorageEnv } from './support/storage-env.js';

// Anyone can check a stored record without the storage service's word for it: a stock Helia node
// fetches the ciphertext by the CID in the signed metadata, and its SHA-256 is the one anchored
// on chain, read with plain ethers.

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

let env: StorageEnv;
let reader: ReturnType<typeof createPlainHelia> | undefined;
const patient = participant('patient');

beforeAll(async () => {
  env = await setupStorageEnv();
  env.standIns.add(patient);
});

afterAll(async () => {
  await reader?.stop();
  await env?.close();
});

it('a plain Helia node fetches a stored record by CID; its SHA-256 is the anchored hash', async () => {
  const built = await buildRecord({
    patient,
    author: patient,
    emergency: env.emergency.set,
    plaintext: randomBytes(600_000),
  });
  const { recordId, cid } = built.request.signed.metadata;
  await storeRecord(env, patient.actor, built);
  await awaitVerified(env, patient.actor, recordId);

  reader = createPlainHelia();
  await reader.start();
  await reader.libp2p.dial(multiaddr(env.storage.runtime.content.multiaddrs()[0]), {
    signal: AbortSignal.timeout(10_000),
  });
  const hash = createHash('sha256');
  const signal = AbortSignal.timeout(30_000);
  setMaxListeners(Infinity, signal); // one listener per block in flight
  for await (const chunk of unixfs(reader).cat(CID.parse(cid), { signal })) hash.update(chunk);

  const events = await recordAnchoredOf(env.registry(), patient.resolved.participantRef!);
  const anchored = events.find((e) => e.recordId === uuidToBytes32(recordId));
  expect(anchored?.ciphertextHash).toBe(`0x${hash.digest('hex')}`);
});
