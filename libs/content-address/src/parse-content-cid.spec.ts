import { base32 } from 'multiformats/bases/base32';
import { base36 } from 'multiformats/bases/base36';
import { base58btc } from 'multiformats/bases/base58';
import { CID } from 'multiformats/cid';
import * as json from 'multiformats/codecs/json';
import * as raw from 'multiformats/codecs/raw';
import { identity } from 'multiformats/hashes/identity';
import { sha256, sha512 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';

import { ContentAddressErrorCode, isContentAddressError, type InvalidCidReason } from './errors.js';
import { DAG_PB_CODE, isContentCid, parseContentCid } from './parse-content-cid.js';

const bytes = new TextEncoder().encode('some ciphertext');
const digest = await sha256.digest(bytes);
const rawCid = CID.create(1, raw.code, digest);
const dagPbCid = CID.create(1, DAG_PB_CODE, digest);
const sha512Digest = await sha512.digest(bytes);

describe('parseContentCid', () => {
  it('accepts CIDv1 base32 raw and dag-pb CIDs with a SHA-256 multihash', () => {
    for (const cid of [rawCid, dagPbCid]) {
      const parsed = parseContentCid(cid.toString());
      expect(parsed.equals(cid)).toBe(true);
      expect(isContentCid(cid.toString())).toBe(true);
    }
  });

  const refused: [string, unknown, InvalidCidReason][] = [
    ['a number', 42, 'not-a-string'],
    ['the empty string', '', 'malformed'],
    ['a very long string', `b${'a'.repeat(500)}`, 'malformed'],
    ['garbage', 'not a cid', 'malformed'],
    ['a truncated CID', rawCid.toString().slice(0, -3), 'malformed'],
    ['a CIDv0', CID.createV0(digest).toString(), 'version'],
    ['a dag-json/json codec', CID.create(1, json.code, digest).toString(), 'codec'],
    ['a sha2-512 multihash', CID.create(1, raw.code, sha512Digest).toString(), 'hash'],
    ['an identity multihash', CID.create(1, raw.code, identity.digest(bytes)).toString(), 'hash'],
    ['base58btc', rawCid.toString(base58btc), 'not-base32'],
    ['base36', rawCid.toString(base36), 'not-base32'],
    ['upper-case base32', `B${rawCid.toString(base32).slice(1).toUpperCase()}`, 'malformed'],
    ['surrounding white space', ` ${rawCid.toString()}`, 'malformed'],
  ];

  it.each(refused)('refuses %s with a coded error naming the rule', (_what, text, reason) => {
    expect(isContentCid(text)).toBe(false);
    let caught: unknown;
    try {
      parseContentCid(text, 'record.contentCid');
    } catch (error) {
      caught = error;
    }
    expect(isContentAddressError(caught, ContentAddressErrorCode.InvalidCid)).toBe(true);
    if (!isContentAddressError(caught)) return;
    expect(caught.details).toEqual({ parameter: 'record.contentCid', reason });
    expect(caught.message.startsWith('record.contentCid: ')).toBe(true);
  });
});
