import type { ImporterOptions } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';

/** Leaf size: content is cut into blocks of exactly this many bytes (the last one shorter). */
export const CONTENT_CHUNK_SIZE = 262_144;

/** Links per dag-pb node of the balanced tree (kubo's and the importer's long-standing value). */
export const CONTENT_MAX_CHILDREN_PER_NODE = 174;

/**
 * The one way a record's ciphertext becomes IPFS content, shared by the client (which signs the
 * CID) and the storage node (which must arrive at the same one). Every setting that changes the
 * CID is spelt out rather than left to a library default: `@helia/unixfs` and the importer
 * disagree on the chunk size and tree width, and either may change its defaults.
 *
 * - CIDv1 with raw leaves: each 256 KiB chunk is a raw block (`bafkrei...`) whose CID is the
 *   SHA-256 of its bytes.
 * - Content of one chunk (up to 256 KiB, including empty content) is that raw block alone
 *   (`reduceSingleLeafToSelf`); longer content gets a dag-pb root (`bafybei...`).
 * - No mode or mtime is ever recorded, so the same bytes always give the same CID.
 */
export const CONTENT_IMPORT_OPTIONS: Readonly<Omit<ImporterOptions, 'onProgress'>> = Object.freeze({
  cidVersion: 1,
  rawLeaves: true,
  reduceSingleLeafToSelf: true,
  chunker: fixedSize({ chunkSize: CONTENT_CHUNK_SIZE }),
  layout: balanced({ maxChildrenPerNode: CONTENT_MAX_CHILDREN_PER_NODE }),
  wrapWithDirectory: false,
});
