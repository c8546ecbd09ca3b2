import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';

import { invalidCid } from './errors.js';

/** dag-pb's multicodec (0x70): the codec of a UnixFS root over several chunks. */
export const DAG_PB_CODE = 0x70;

/** Codecs a content CID may have: a single raw block, or a dag-pb UnixFS root. */
const CONTENT_CODECS: ReadonlySet<number> = new Set([raw.code, DAG_PB_CODE]);

/** A content CID is 59 characters; anything much longer is refused before parsing. */
const MAX_CID_TEXT_LENGTH = 128;

/**
 * Parses a content CID, accepting only what Sec-Health writes: CIDv1 in lower-case base32 (the
 * canonical text, so one content has one spelling), codec raw or dag-pb, SHA-256 multihash.
 * Throws a ContentAddressError (code CONTENT_ADDRESS_INVALID_CID) naming `parameter` and the
 * rule broken otherwise.
 */
export function parseContentCid(text: unknown, parameter = 'cid'): CID {
  if (typeof text !== 'string') {
    throw invalidCid(parameter, 'not-a-string', 'must be a string');
  }
  if (text.length === 0 || text.length > MAX_CID_TEXT_LENGTH) {
    throw invalidCid(parameter, 'malformed', `must be 1 to ${MAX_CID_TEXT_LENGTH} characters long`);
  }
  let cid: CID;
  try {
    cid = CID.parse(text);
  } catch (cause) {
    throw invalidCid(
      parameter,
      'malformed',
      'is not a CID (CIDv1 in lower-case base32 expected)',
      cause,
    );
  }
  if (cid.version !== 1) {
    throw invalidCid(parameter, 'version', `must be CIDv1, got v${cid.version}`);
  }
  if (!CONTENT_CODECS.has(cid.code)) {
    throw invalidCid(
      parameter,
      'codec',
      `codec must be raw (0x55) or dag-pb (0x70), got 0x${cid.code.toString(16)}`,
    );
  }
  if (cid.multihash.code !== sha256.code || cid.multihash.size !== 32) {
    throw invalidCid(
      parameter,
      'hash',
      `multihash must be sha2-256 (0x12, 32 bytes), got 0x${cid.multihash.code.toString(16)}`,
    );
  }
  // Last, so a CIDv0 or a wrong codec is named as such: v1 in base58btc or upper case is refused.
  if (cid.toString() !== text) {
    throw invalidCid(parameter, 'not-base32', 'must be written in lower-case base32 ("b...")');
  }
  return cid;
}

/** True when `text` is a content CID that {@link parseContentCid} accepts. */
export function isContentCid(text: unknown): text is string {
  try {
    parseContentCid(text);
    return true;
  } catch {
    return false;
  }
}
