import { importByteStream, type WritableStorage } from 'ipfs-unixfs-importer';

import { CONTENT_IMPORT_OPTIONS } from './import-options.js';

/** A blockstore that keeps nothing: the importer only needs `put` to hand back the CID. */
const discardingBlockstore: WritableStorage = {
  put: (cid) => cid,
};

/**
 * The root CID (CIDv1, base32) that importing `chunks` with {@link CONTENT_IMPORT_OPTIONS} gives,
 * computed without storing anything. How the bytes are split into `chunks` does not matter.
 */
export async function computeContentCid(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<string> {
  const { cid } = await importByteStream(chunks, discardingBlockstore, {
    ...CONTENT_IMPORT_OPTIONS,
  });
  return cid.toString();
}
