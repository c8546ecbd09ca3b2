import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { contractArtifacts } from '@sec-health/contracts';
import {
  generateParticipantKeys,
  generateSigningKeyPair,
  signCanonical,
  toBase64Url,
  unlockKeystore,
  type ParticipantKeys,
} from '@sec-health/crypto';
import {
  GATEWAY_PRINCIPAL,
  Header,
  registrationStatement,
  rotationStatement,
  type Reply,
  type Role,
} from '@sec-health/protocol';
import { ActorAssertionSigner, createLogger } from '@sec-health/service-kit';
import {
  provideChain,
  provideDatabase,
  provideSecureNats,
  type SecureTestNats,
  type TestChain,
  type TestDatabase,
} from '@sec-health/testing';
import { Contract } from 'ethers';

import { startAuthority, type RunningAuthority } from '../src/app.js';
import { authorityConfig, type AuthorityConfig } from '../src/config.js';
import { runSetup, type SetupResult } from '../src/setup/run-setup.js';

/** Who a test request is made for, as the gateway would assert it. */
export interface ActorHeaders {
  readonly id: string;
  readonly role: Role;
  readonly organizationId?: string | null;
  /** The key version the actor "logged in" with; default 1. */
  readonly keyVersion?: number;
  /** The actor's Ed25519 secret key, for signing administrative actions (not sent). */
  readonly signingKey?: Uint8Array;
}

export interface RequestOptions {
  /** Assert as the gateway's login lookup (`via: 'login'`) instead of an actor. */
  readonly via?: 'login';
  /** Sign the assertion with this signer instead of the gateway's. */
  readonly signer?: ActorAssertionSigner;
}

/** A fresh database, chain and private NATS; the setup run once; the authority started in-process. */
export interface AuthorityEnv {
  readonly config: AuthorityConfig;
  readonly setup: SetupResult;
  readonly authority: RunningAuthority;
  readonly natsServer: SecureTestNats;
  /** Connected as the gateway: the only principal allowed to send the authority requests. */
  readonly gateway: NatsConnection;
  readonly gatewaySigner: ActorAssertionSigner;
  readonly admin: ActorHeaders;
  /** The authority's log lines, parsed. */
  readonly logLines: Record<string, unknown>[];
  request<T = unknown>(
    subject: string,
    data: unknown,
    actor?: ActorHeaders,
    options?: RequestOptions,
  ): Promise<Reply<T>>;
  /** Sends raw bytes with the given headers (none by default) and returns the parsed reply. */
  requestRaw(
    subject: string,
    body: string | Uint8Array,
    extra?: Record<string, string>,
  ): Promise<unknown>;
  registry(): Contract;
  close(): Promise<void>;
}

let current: AuthorityEnv | undefined;

/** The env the suite (this test file) set up last: what the steps in steps.ts act on. */
export function currentEnv(): AuthorityEnv {
  if (!current) throw new Error('setupAuthorityEnv() has not run in this suite');
  return current;
}

export async function setupAuthorityEnv(
  overrides: Record<string, string> = {},
): Promise<AuthorityEnv> {
  current = await openAuthorityEnv(overrides);
  return current;
}

async function openAuthorityEnv(overrides: Record<string, string>): Promise<AuthorityEnv> {
  const [db, chain, natsServer] = await Promise.all([
    provideDatabase(),
    provideChain(),
    provideSecureNats(),
  ]);
  const home = await mkdtemp(join(tmpdir(), 'authority-test-'));
  const gatewayKeys = generateSigningKeyPair();
  const config = authorityConfig({
    ...natsServer.envFor('authority'),
    GATEWAY_PUBLIC_KEY: toBase64Url(gatewayKeys.publicKey),
    AUTHORITY_DATABASE_URL: db.url,
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    AUTHORITY_CHAIN_KEY: chain.accounts[0]!.privateKey,
    LEDGER_ADDRESS_BOOK: join(home, 'contracts.json'),
    SECHEALTH_HOME: home,
    ...overrides,
  });
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger('authority', {
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    }),
  });
  const setup = await runSetup(config, quietLogger);
  const authority = await startAuthority(config, logger);
  const gateway = await connect(natsServer.connectOptions(GATEWAY_PRINCIPAL));
  const gatewaySigner = await ActorAssertionSigner.fromSeed(gatewayKeys.secretKey);
  const adminSetup = setup.participants.find((p) => p.name === 'authority-admin')!;
  const adminProfile = JSON.parse(await readFile(adminSetup.profilePath, 'utf8')) as {
    keystore: unknown;
  };
  const adminKeys = await unlockKeystore(adminProfile.keystore, config.profilePassphrase);
  return {
    config,
    setup,
    authority,
    natsServer,
    gateway,
    gatewaySigner,
    logLines,
    admin: {
      id: adminSetup.participantId,
      role: 'authority',
      signingKey: adminKeys.signing.secretKey,
    },
    async request<T>(
      subject: string,
      data: unknown,
      actor?: ActorHeaders,
      options: RequestOptions = {},
    ): Promise<Reply<T>> {
      const requestId = randomUUID();
      // What goes on the wire, and what the assertion binds: the JSON the service will parse.
      const wire = JSON.stringify(data);
      const h = headers();
      h.set(Header.RequestId, requestId);
      const assertion = await (options.signer ?? gatewaySigner).sign({
        subject,
        body: JSON.parse(wire) as unknown,
        requestId,
        ...(actor
          ? {
              actor: {
                id: actor.id,
                role: actor.role,
                organizationId: actor.organizationId ?? null,
                keyVersion: actor.keyVersion ?? 1,
              },
            }
          : {}),
        ...(options.via ? { via: options.via } : {}),
      });
      h.set(Header.ActorAssertion, assertion);
      const message = await gateway.request(subject, wire, {
        timeout: 15_000,
        headers: h,
      });
      return message.json<Reply<T>>();
    },
    async requestRaw(subject, body, extra = {}): Promise<unknown> {
      const h = headers();
      for (const [name, value] of Object.entries(extra)) h.set(name, value);
      const message = await gateway.request(subject, body, { timeout: 15_000, headers: h });
      return message.json();
    },
    registry(): Contract {
      return new Contract(
        authority.runtime.deployment.contracts.ParticipantRegistry,
        contractArtifacts.ParticipantRegistry.abi,
        authority.runtime.provider,
      );
    },
    close: () => closeAll(authority, gateway, db, chain, natsServer, home),
  };
}

export const quietLogger = createLogger('authority-test', { level: 'warn' });

async function closeAll(
  authority: RunningAuthority,
  gateway: NatsConnection,
  db: TestDatabase,
  chain: TestChain,
  natsServer: SecureTestNats,
  home: string,
): Promise<void> {
  await gateway.close();
  await authority.close();
  await Promise.allSettled([db.drop(), chain.stop(), natsServer.stop()]);
  await rm(home, { recursive: true, force: true });
}

/** A registration as a client builds it: fresh keys, proof over the canonical statement. */
export function registration(
  role: Role,
  fields: { kind?: string; organizationId?: string; email?: string } = {},
  keys: ParticipantKeys = generateParticipantKeys(),
) {
  const publicKeys = {
    signing: toBase64Url(keys.signing.publicKey),
    encryption: toBase64Url(keys.encryption.publicKey),
  };
  const draft = {
    role,
    ...(fields.kind ? { kind: fields.kind as 'physician' | 'nurse' | 'lab' } : {}),
    ...(fields.organizationId ? { organizationId: fields.organizationId } : {}),
    keys: publicKeys,
    profile: { displayName: `Test ${role}`, ...(fields.email ? { email: fields.email } : {}) },
  };
  const proof = toBase64Url(signCanonical(keys.signing.secretKey, registrationStatement(draft)));
  return { request: { ...draft, proof }, keys };
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

export interface RotationOptions {
  /** Prove possession with this key instead of the new one. */
  readonly proveWith?: Uint8Array;
  readonly signedAt?: string;
}

/**
 * A key rotation as a client builds it: signed with `authorizeWith` (the current signing key, or
 * an attacker's) and by the new signing key.
 */
export function rotation(
  participantId: string,
  keyVersion: number,
  authorizeWith: Uint8Array,
  next: ParticipantKeys = generateParticipantKeys(),
  options: RotationOptions = {},
) {
  const keys = {
    signing: toBase64Url(next.signing.publicKey),
    encryption: toBase64Url(next.encryption.publicKey),
  };
  const signedAt = options.signedAt ?? new Date().toISOString();
  const statement = rotationStatement({ participantId, keyVersion, keys, signedAt });
  const sign = (key: Uint8Array) => toBase64Url(signCanonical(key, statement));
  return {
    request: {
      participantId,
      keyVersion,
      keys,
      signedAt,
      signature: sign(authorizeWith),
      proof: sign(options.proveWith ?? next.signing.secretKey),
    },
    keys: next,
  };
}
