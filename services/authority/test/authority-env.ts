import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { contractArtifacts } from '@sec-health/contracts';
import {
  generateParticipantKeys,
  signCanonical,
  toBase64Url,
  unlockKeystore,
  type ParticipantKeys,
} from '@sec-health/crypto';
import { Header, REGISTER_PURPOSE, type Reply, type Role } from '@sec-health/protocol';
import { createLogger } from '@sec-health/service-kit';
import {
  provideChain,
  provideDatabase,
  provideNats,
  type TestChain,
  type TestDatabase,
  type TestNats,
} from '@sec-health/testing';
import { Contract } from 'ethers';

import { startAuthority, type RunningAuthority } from '../src/app.js';
import { authorityConfig, type AuthorityConfig } from '../src/config.js';
import { runSetup, type SetupResult } from '../src/setup/run-setup.js';

export interface ActorHeaders {
  readonly id: string;
  readonly role: Role;
  readonly organizationId?: string | null;
  /** The actor's Ed25519 secret key, for signing administrative actions (not sent). */
  readonly signingKey?: Uint8Array;
}

/** A fresh database, chain and NATS; the setup run once; the authority started in-process. */
export interface AuthorityEnv {
  readonly config: AuthorityConfig;
  readonly setup: SetupResult;
  readonly authority: RunningAuthority;
  readonly nats: NatsConnection;
  readonly admin: ActorHeaders;
  request<T = unknown>(subject: string, data: unknown, actor?: ActorHeaders): Promise<Reply<T>>;
  /** Sends raw bytes (no Nest packet) and returns the decoded Nest response. */
  requestRaw(subject: string, body: string | Uint8Array): Promise<unknown>;
  registry(): Contract;
  close(): Promise<void>;
}

export const logger = createLogger('authority-test', { level: 'warn' });

export async function setupAuthorityEnv(): Promise<AuthorityEnv> {
  const [db, chain, natsServer] = await Promise.all([
    provideDatabase(),
    provideChain(),
    // Port 9 has no NATS: unless NATS_URL is set, this starts a private nats-server, so no other
    // authority on the shared one can take these requests from the queue group.
    provideNats({ localUrl: 'nats://127.0.0.1:9', docker: false }),
  ]);
  const home = await mkdtemp(join(tmpdir(), 'authority-test-'));
  const config = authorityConfig({
    NATS_URL: natsServer.url,
    AUTHORITY_DATABASE_URL: db.url,
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    AUTHORITY_CHAIN_KEY: chain.accounts[0]!.privateKey,
    LEDGER_ADDRESS_BOOK: join(home, 'contracts.json'),
    SECHEALTH_HOME: home,
  });
  const setup = await runSetup(config, logger);
  const authority = await startAuthority(config, logger);
  const nats = await connect({ servers: natsServer.url });
  const adminSetup = setup.participants.find((p) => p.name === 'authority-admin')!;
  const adminProfile = JSON.parse(await readFile(adminSetup.profilePath, 'utf8')) as {
    keystore: unknown;
  };
  const adminKeys = await unlockKeystore(adminProfile.keystore, config.profilePassphrase);
  return {
    config,
    setup,
    authority,
    nats,
    admin: {
      id: adminSetup.participantId,
      role: 'authority',
      signingKey: adminKeys.signing.secretKey,
    },
    async request<T>(subject: string, data: unknown, actor?: ActorHeaders): Promise<Reply<T>> {
      const h = headers();
      h.set(Header.RequestId, randomUUID());
      if (actor) {
        h.set(Header.ActorId, actor.id);
        h.set(Header.ActorRole, actor.role);
        if (actor.organizationId) h.set(Header.ActorOrganization, actor.organizationId);
      }
      const packet = JSON.stringify({ pattern: subject, data, id: randomUUID() });
      const message = await nats.request(subject, packet, { timeout: 15_000, headers: h });
      const decoded = message.json<{ response?: Reply<T>; err?: unknown }>();
      if (!decoded.response) throw new Error(`no Reply in ${JSON.stringify(decoded)}`);
      return decoded.response;
    },
    async requestRaw(subject: string, body: string | Uint8Array): Promise<unknown> {
      const message = await nats.request(subject, body, { timeout: 15_000 });
      return message.json<{ response?: unknown }>().response;
    },
    registry(): Contract {
      return new Contract(
        authority.runtime.deployment.contracts.ParticipantRegistry,
        contractArtifacts.ParticipantRegistry.abi,
        authority.runtime.provider,
      );
    },
    close: () => closeAll(authority, nats, db, chain, natsServer, home),
  };
}

async function closeAll(
  authority: RunningAuthority,
  nats: NatsConnection,
  db: TestDatabase,
  chain: TestChain,
  natsServer: TestNats,
  home: string,
): Promise<void> {
  await nats.close();
  await authority.close();
  await Promise.allSettled([db.drop(), chain.stop(), natsServer.stop()]);
  await rm(home, { recursive: true, force: true });
}

/** A registration as a client builds it: fresh keys, proof over the canonical message. */
export function registration(
  role: Role,
  fields: { kind?: string; organizationId?: string; email?: string } = {},
  keys: ParticipantKeys = generateParticipantKeys(),
) {
  const publicKeys = {
    signing: toBase64Url(keys.signing.publicKey),
    encryption: toBase64Url(keys.encryption.publicKey),
  };
  const profile = { displayName: `Test ${role}`, ...(fields.email ? { email: fields.email } : {}) };
  const message = {
    purpose: REGISTER_PURPOSE,
    role,
    ...(fields.kind ? { kind: fields.kind } : {}),
    ...(fields.organizationId ? { organizationId: fields.organizationId } : {}),
    keys: publicKeys,
    profile,
  };
  const proof = toBase64Url(signCanonical(keys.signing.secretKey, message));
  const { purpose: _purpose, ...request } = message;
  return { request: { ...request, proof }, keys };
}

/** Polls `check` until it returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
