import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { LocalInfraError, LocalInfraErrorCode, describeError } from './errors.js';
import { ensurePrivateDir, restrictToOwner, writePrivateFile } from './private-files.js';

/** PKCS#8 DER of an Ed25519 private key is this fixed prefix followed by the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_TEXT = /^[A-Za-z0-9_-]{43}$/;

export interface SigningKeyFile {
  readonly file: string;
  /** The raw 32-byte Ed25519 public key, base64url: what verifiers are given. */
  readonly publicKey: string;
  /** True when this call generated the key. */
  readonly created: boolean;
}

/** The base64url raw public key of a base64url 32-byte Ed25519 seed. */
export function ed25519PublicKeyOfSeed(seed: string): string {
  const bytes = Buffer.from(seed, 'base64url');
  if (!SEED_TEXT.test(seed) || bytes.length !== 32) {
    throw new LocalInfraError(
      LocalInfraErrorCode.InvalidCredentials,
      'an Ed25519 seed must be 32 bytes as base64url text (43 characters)',
    );
  }
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, bytes]),
    format: 'der',
    type: 'pkcs8',
  });
  bytes.fill(0);
  const x = createPublicKey(key).export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('node:crypto exported no Ed25519 public key');
  return x;
}

/**
 * An Ed25519 signing key kept in `file` as its 32-byte seed in base64url text (mode 0600, in a
 * 0700 directory): read if present, generated once otherwise.
 */
export function ensureEd25519SigningKey(file: string): SigningKeyFile {
  ensurePrivateDir(dirname(file));
  if (existsSync(file)) {
    restrictToOwner(file);
    const seed = readFileSync(file, 'utf8').trim();
    try {
      return { file, publicKey: ed25519PublicKeyOfSeed(seed), created: false };
    } catch (error) {
      throw new LocalInfraError(
        LocalInfraErrorCode.InvalidCredentials,
        `${file} holds no Ed25519 seed (${describeError(error)}): delete it to generate a new key`,
        undefined,
        { cause: error },
      );
    }
  }
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new Error('node:crypto exported no Ed25519 key');
  }
  writePrivateFile(file, `${jwk.d}\n`);
  return { file, publicKey: jwk.x, created: true };
}
