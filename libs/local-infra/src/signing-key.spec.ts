import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isLocalInfraError, LocalInfraErrorCode } from './errors.js';
import { ed25519PublicKeyOfSeed, ensureEd25519SigningKey } from './signing-key.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('ensureEd25519SigningKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sec-health-signing-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates once a 32-byte seed (base64url, 0600, in a 0700 dir) and keeps it', () => {
    const file = join(dir, 'gateway', 'signing-key');
    const created = ensureEd25519SigningKey(file);
    expect(created.created).toBe(true);
    expect(mode(file)).toBe(0o600);
    expect(mode(dirname(file))).toBe(0o700);
    const seed = readFileSync(file, 'utf8').trim();
    expect(Buffer.from(seed, 'base64url')).toHaveLength(32);
    expect(Buffer.from(created.publicKey, 'base64url')).toHaveLength(32);

    const again = ensureEd25519SigningKey(file);
    expect(again).toEqual({ ...created, created: false });
  });

  it('the public key verifies what the seed signs', () => {
    const file = join(dir, 'signing-key');
    const { publicKey } = ensureEd25519SigningKey(file);
    const d = readFileSync(file, 'utf8').trim();
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d, x: publicKey },
      format: 'jwk',
    });
    const message = Buffer.from('assertion');
    const signature = sign(null, message, privateKey);
    const verifier = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: publicKey },
      format: 'jwk',
    });
    expect(verify(null, message, verifier, signature)).toBe(true);
    expect(ed25519PublicKeyOfSeed(d)).toBe(publicKey);
  });

  it('refuses a file that holds no seed, and narrows a wide one', () => {
    const file = join(dir, 'signing-key');
    writeFileSync(file, 'short\n', { mode: 0o644 });
    let error: unknown;
    try {
      ensureEd25519SigningKey(file);
    } catch (caught) {
      error = caught;
    }
    expect(isLocalInfraError(error, LocalInfraErrorCode.InvalidCredentials)).toBe(true);
    expect((error as Error).message).toContain(file);
    expect(mode(file)).toBe(0o600);
  });
});
