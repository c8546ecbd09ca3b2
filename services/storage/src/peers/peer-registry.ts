import type { DataSource } from 'typeorm';

import { STORAGE_SCHEMA } from '../config.js';
import type { HeliaContentStore } from '../ipfs/index.js';

const S = `"${STORAGE_SCHEMA}"`;
const REFRESH_MS = 15_000;
/** Instances not seen for this long are not dialled. */
const STALE_AFTER = '5 minutes';

/**
 * The instances of the storage service find each other through their shared schema: each
 * writes its IPFS node's addresses and dials the others', so a record stored through one is
 * served by every other over bitswap. Returns a stop function.
 */
export function startPeerRegistry(
  dataSource: DataSource,
  content: HeliaContentStore,
  logger: { warn(fields: object, message: string): void },
): () => void {
  const connected = new Set<string>();
  const round = async () => {
    await dataSource.query(
      `INSERT INTO ${S}.ipfs_peers (peer_id, multiaddrs, seen_at) VALUES ($1, $2, now())
       ON CONFLICT (peer_id) DO UPDATE SET multiaddrs = EXCLUDED.multiaddrs, seen_at = now()`,
      [content.peerId, content.multiaddrs()],
    );
    const others = await dataSource.query<{ peerId: string; multiaddrs: string[] }[]>(
      `SELECT peer_id AS "peerId", multiaddrs FROM ${S}.ipfs_peers
        WHERE peer_id <> $1 AND seen_at > now() - interval '${STALE_AFTER}'`,
      [content.peerId],
    );
    for (const peer of others) {
      if (connected.has(peer.peerId)) continue;
      for (const address of peer.multiaddrs) {
        try {
          await content.dial(address);
          connected.add(peer.peerId);
          break;
        } catch (error) {
          logger.warn(
            { peer: peer.peerId, error: error instanceof Error ? error.message : String(error) },
            'IPFS peer not reachable',
          );
        }
      }
    }
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    if (stopped) return;
    await round().catch((error: unknown) =>
      logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'peer registry round failed',
      ),
    );
    if (!stopped) timer = setTimeout(() => void loop(), REFRESH_MS);
  };
  void loop();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
