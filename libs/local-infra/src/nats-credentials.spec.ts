import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { inboxPrefixOf, natsPrincipals } from '@sec-health/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isLocalInfraError, LocalInfraErrorCode } from './errors.js';
import { loadOrCreateNatsCredentials, prepareNatsServer } from './nats-credentials.js';
import { createNatsIdentity } from './nats-identity.js';

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('NATS credentials on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sec-health-creds-spec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one 0600 seed file per principal in a 0700 directory', () => {
    const credsDir = join(dir, 'creds');
    const creds = loadOrCreateNatsCredentials(credsDir, ['gateway', 'authority']);
    expect(mode(credsDir)).toBe(0o700);
    for (const name of ['gateway', 'authority']) {
      const credential = creds[name]!;
      expect(credential.seedFile).toBe(join(credsDir, `${name}.nk`));
      expect(mode(credential.seedFile)).toBe(0o600);
      expect(readFileSync(credential.seedFile, 'utf8')).toBe(`${credential.seed}\n`);
    }
    expect(creds.gateway!.publicKey).not.toBe(creds.authority!.publicKey);
  });

  it('keeps existing seeds (narrowing a wide file to 0600) and adds missing ones', () => {
    const credsDir = join(dir, 'creds');
    const first = loadOrCreateNatsCredentials(credsDir, ['gateway']);
    writeFileSync(first.gateway!.seedFile, `${first.gateway!.seed}\n`, { mode: 0o644 });
    const second = loadOrCreateNatsCredentials(credsDir, ['gateway', 'storage']);
    expect(second.gateway).toEqual(first.gateway);
    expect(mode(second.gateway!.seedFile)).toBe(0o600);
    expect(second.storage!.seed).toMatch(/^SU/);
  });

  it('refuses a seed file that holds no seed, naming the file', () => {
    const credsDir = join(dir, 'creds');
    loadOrCreateNatsCredentials(credsDir, ['gateway']);
    writeFileSync(join(credsDir, 'gateway.nk'), 'garbage\n');
    let error: unknown;
    try {
      loadOrCreateNatsCredentials(credsDir, ['gateway']);
    } catch (caught) {
      error = caught;
    }
    expect(isLocalInfraError(error, LocalInfraErrorCode.InvalidCredentials)).toBe(true);
    expect((error as Error).message).toContain(join(credsDir, 'gateway.nk'));
    expect((error as Error).message).toContain('delete it');
  });

  it('prepares a server: config 0600 for natsPrincipals() plus extras, rewritten each time', () => {
    const natsDir = join(dir, 'nats');
    const intruder = {
      name: 'intruder',
      publish: [],
      subscribe: [],
      allowResponses: false,
      inboxPrefix: inboxPrefixOf('intruder'),
    };
    const prepared = prepareNatsServer({ dir: natsDir, host: '127.0.0.1', port: 4322 });
    expect(mode(natsDir)).toBe(0o700);
    expect(prepared.url).toBe('nats://127.0.0.1:4322');
    expect(prepared.configFile).toBe(join(natsDir, 'nats-server.conf'));
    expect(prepared.storeDir).toBe(natsDir);
    expect(mode(prepared.configFile)).toBe(0o600);
    const names = natsPrincipals().map((p) => p.name);
    expect(Object.keys(prepared.credentials).sort()).toEqual([...names].sort());
    const config = readFileSync(prepared.configFile, 'utf8');
    for (const name of names) expect(config).toContain(prepared.credentials[name]!.publicKey);

    const again = prepareNatsServer({
      dir: natsDir,
      host: '127.0.0.1',
      port: 4322,
      extraPrincipals: [intruder],
      storeDir: false,
    });
    expect(again.credentials.gateway).toEqual(prepared.credentials.gateway);
    const rewritten = readFileSync(again.configFile, 'utf8');
    expect(rewritten).toContain(again.credentials.intruder!.publicKey);
    expect(rewritten).not.toContain('jetstream');
    expect(mode(again.configFile)).toBe(0o600);
  });

  it('refuses a principal whose name cannot be a file name', () => {
    expect(() =>
      prepareNatsServer({
        dir: join(dir, 'nats'),
        host: '127.0.0.1',
        port: 4322,
        extraPrincipals: [{ ...natsPrincipals()[0]!, name: '../gateway' }],
      }),
    ).toThrow(/letters, digits/);
    expect(createNatsIdentity('ok').name).toBe('ok');
  });
});
