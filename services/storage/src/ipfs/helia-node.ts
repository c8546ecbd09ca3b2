import './promise-with-resolvers.js';

import { join } from 'node:path';

import { identify } from '@libp2p/identify';
import { tcp } from '@libp2p/tcp';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHelia } from 'helia';

export interface HeliaNodeOptions {
  /** Blocks go to <directory>/blocks, the datastore (peer key, pins, peer store) to <directory>/data. */
  readonly directory: string;
  /** Multiaddrs to listen on. */
  readonly listen: readonly string[];
}

/**
 * A Helia node that talks only to peers it is told about: libp2p over TCP, bitswap to serve and
 * fetch blocks, identify so bitswap learns which peers speak it. Nothing that reaches out on its
 * own: no public bootstrap list, DHT, mDNS, relay, autoNAT, UPnP or autoTLS, and no HTTP
 * delegated routers or trustless gateways. Encryption and multiplexing stay libp2p's defaults
 * (noise or TLS, yamux or mplex): they only act on connections we open or accept.
 *
 * The peer's private key is created on first start and kept in the datastore, so the peer id,
 * like the blocks and pins, survives a restart. The caller starts the node.
 */
export async function createHeliaNode({ directory, listen }: HeliaNodeOptions) {
  const blockstore = new FsBlockstore(join(directory, 'blocks'));
  const datastore = new FsDatastore(join(directory, 'data'));
  await blockstore.open();
  await datastore.open();
  const helia = createHelia({
    blockstore,
    datastore,
    http: { delegatedRouters: [], recursiveGateways: [] },
    libp2p: {
      addresses: { listen: [...listen] },
      transports: [tcp()],
      peerDiscovery: [],
      services: { identify: identify() },
    },
  });
  const close = async (): Promise<void> => {
    await blockstore.close();
    await datastore.close();
  };
  return { helia, close };
}

export type HeliaNode = Awaited<ReturnType<typeof createHeliaNode>>['helia'];
