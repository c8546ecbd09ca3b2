import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';

import { unixfs } from '@helia/unixfs';
import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createHelia } from 'helia';
import { CID } from 'multiformats/cid';

/**
 * Fetches content by CID the way any IPFS peer would: a plain Helia node of the test's own (none
 * of our storage code), on loopback, dialling the storage node; returns the SHA-256 (0x hex) of
 * what arrived.
 */
export async function fetchIndependently(peer: string, cid: string): Promise<string> {
  withResolversOnNode20();
  const helia = createHelia({
    http: { delegatedRouters: [], recursiveGateways: [] },
    libp2p: {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      peerDiscovery: [],
      services: { identify: identify() },
    },
  });
  try {
    await helia.start();
    await helia.libp2p.dial(multiaddr(peer), { signal: AbortSignal.timeout(10_000) });
    const hash = createHash('sha256');
    const signal = AbortSignal.timeout(30_000);
    setMaxListeners(Infinity, signal);
    for await (const chunk of unixfs(helia).cat(CID.parse(cid), { signal })) {
      hash.update(chunk);
    }
    return `0x${hash.digest('hex')}`;
  } finally {
    await helia.stop();
  }
}

/** Helia's queues call Promise.withResolvers, which Node has from 22 on. */
function withResolversOnNode20(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
