import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import {
  connect,
  headers,
  PermissionViolationError,
  type NatsConnection,
} from '@nats-io/transport-node';
import { contractArtifacts } from '@sec-health/contracts';
import { generateSigningKeyPair, toBase64Url, type ParticipantKeys } from '@sec-health/crypto';
import {
  createProvider,
  deployOrLocate,
  grantRole,
  type ChainDeployment,
} from '@sec-health/ledger';
import {
  GATEWAY_PRINCIPAL,
  Header,
  natsContracts,
  type AccessCheckRequest,
  type AccessDecision,
  type Reply,
  type ResolvedParticipant,
  type Role,
} from '@sec-health/protocol';
import { ActorAssertionSigner, createLogger, type Actor } from '@sec-health/service-kit';
import {
  DirectoryStandIn,
  provideChain,
  provideDatabase,
  provideSecureNats,
  type SecureTestNats,
  type TestChain,
} from '@sec-health/testing';
import { Contract, Wallet, type JsonRpcProvider } from 'ethers';

import { startSharing, type RunningSharing } from '../src/app.js';
import { sharingConfig, type SharingConfig } from '../src/config.js';
import { participant, type TestParticipant } from './support/fixtures.js';

const DIRECTORY_PRINCIPAL = 'authority-directory-stand-in';
/** The principal that may ask `internal.sharing.access.check` (natsPrincipals: storage). */
const ACCESS_CHECKER = 'storage';

/** A fresh database, chain (contracts deployed) and private NATS, and the sharing service. */
export interface SharingEnv {
  readonly config: SharingConfig;
  readonly nats: SecureTestNats;
  readonly chain: TestChain;
  readonly provider: JsonRpcProvider;
  readonly deployment: ChainDeployment;
  readonly directory: DirectoryStandIn;
  /** Connected as the gateway: the only principal allowed to send the service requests. */
  readonly gateway: NatsConnection;
  /** Connected as the storage service: allowed to ask the access check. */
  readonly storage: NatsConnection;
  /** Domain events seen on `events.>` (as the gateway may subscribe). */
  readonly events: { subject: string; data: Record<string, unknown> }[];
  /** The service's log lines, parsed. */
  readonly logLines: Record<string, unknown>[];
  /** The running service (after start()). */
  sharing(): RunningSharing;
  /** Starts the service in-process; rejects as startSharing does. */
  start(): Promise<RunningSharing>;
  /** Grants CONSENT_ROLE to the service's account, as the authority does. */
  grantConsentRole(): Promise<void>;
  /** A participant with fresh keys, known to the stand-in directory. */
  enroll(role: Role, overrides?: Partial<Omit<ResolvedParticipant, 'keys'>>): TestParticipant;
  /** Replaces a participant's keys in the directory, as a key rotation does (version + 1). */
  rotate(p: TestParticipant, keys: ParticipantKeys): TestParticipant;
  request<T = unknown>(subject: string, data: unknown, actor?: Actor): Promise<Reply<T>>;
  accessCheck(request: AccessCheckRequest): Promise<Reply<AccessDecision>>;
  consentLedger(): Contract;
  close(): Promise<void>;
}

export async function openSharingEnv(): Promise<SharingEnv> {
  const [db, chain, nats] = await Promise.all([
    provideDatabase(),
    provideChain(),
    provideSecureNats({
      extraPrincipals: [
        { name: DIRECTORY_PRINCIPAL, subscribe: ['internal.authority.>'], allowResponses: true },
      ],
    }),
  ]);
  const home = await mkdtemp(join(tmpdir(), 'sharing-test-'));
  const provider = createProvider({ rpcUrl: chain.rpcUrl, chainId: chain.chainId });
  const admin = new Wallet(chain.accounts[0]!.privateKey, provider);
  const addressBookPath = join(home, 'contracts.json');
  // The authority deploys the contracts; here the test plays its part with the admin wallet.
  const deployment = await deployOrLocate({
    provider,
    chainId: chain.chainId,
    admin,
    addressBookPath,
    onMissingCode: 'deploy',
  });
  const gatewayKeys = generateSigningKeyPair();
  const config = sharingConfig({
    ...nats.envFor('sharing'),
    GATEWAY_PUBLIC_KEY: toBase64Url(gatewayKeys.publicKey),
    SHARING_DATABASE_URL: db.url,
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    SHARING_CHAIN_KEY: chain.accounts[2]!.privateKey,
    LEDGER_ADDRESS_BOOK: addressBookPath,
  });
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger('sharing', {
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
  const directory = new DirectoryStandIn(await connect(nats.connectOptions(DIRECTORY_PRINCIPAL)));
  await directory.start();
  const gateway = await connect(nats.connectOptions(GATEWAY_PRINCIPAL));
  const storage = await connect(nats.connectOptions(ACCESS_CHECKER));
  const gatewaySigner = await ActorAssertionSigner.fromSeed(gatewayKeys.secretKey);
  const events: SharingEnv['events'] = [];
  const eventSubscription = gateway.subscribe('events.>');
  void (async () => {
    for await (const message of eventSubscription) {
      events.push({ subject: message.subject, data: message.json<Record<string, unknown>>() });
    }
  })();
  await gateway.flush();
  let running: RunningSharing | undefined;

  return {
    config,
    nats,
    chain,
    provider,
    deployment,
    directory,
    gateway,
    storage,
    events,
    logLines,
    sharing() {
      if (!running) throw new Error('the sharing service was not started');
      return running;
    },
    async start() {
      running = await startSharing(config, logger);
      return running;
    },
    async grantConsentRole() {
      await grantRole(deployment, admin, 'CONSENT_ROLE', new Wallet(config.chainKey).address);
    },
    enroll(role, overrides = {}) {
      const enrolled = participant(role, overrides);
      directory.set(enrolled.resolved);
      return enrolled;
    },
    rotate(p, keys) {
      const { keys: _replaced, ...rest } = p.resolved;
      const rotated = participant(
        p.resolved.role,
        { ...rest, keyVersion: p.resolved.keyVersion + 1 },
        keys,
      );
      directory.set(rotated.resolved);
      return rotated;
    },
    async request<T>(subject: string, data: unknown, actor?: Actor): Promise<Reply<T>> {
      const requestId = randomUUID();
      // What goes on the wire, and what the assertion binds: the JSON the service will parse.
      const wire = JSON.stringify(data);
      const h = headers();
      h.set(Header.RequestId, requestId);
      h.set(
        Header.ActorAssertion,
        await gatewaySigner.sign({
          subject,
          body: JSON.parse(wire) as unknown,
          requestId,
          ...(actor ? { actor } : {}),
        }),
      );
      const message = await gateway.request(subject, wire, { timeout: 15_000, headers: h });
      return message.json<Reply<T>>();
    },
    async accessCheck(request) {
      const message = await storage.request(
        natsContracts.accessCheck.subject,
        JSON.stringify(request),
        { timeout: 15_000 },
      );
      return message.json<Reply<AccessDecision>>();
    },
    consentLedger() {
      return new Contract(
        deployment.contracts.ConsentLedger,
        contractArtifacts.ConsentLedger.abi,
        provider,
      );
    },
    async close() {
      await Promise.allSettled([gateway.close(), storage.close(), directory.stop()]);
      await running?.close();
      provider.destroy();
      await Promise.allSettled([db.drop(), chain.stop(), nats.stop()]);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** The permission violation behind a failed NATS request (nats.js wraps it in a RequestError). */
export function permissionViolationIn(error: unknown): PermissionViolationError | undefined {
  if (error instanceof PermissionViolationError) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return cause instanceof PermissionViolationError ? cause : undefined;
}

/** Polls `check` until it returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
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

export function data<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.data;
}

export const quietLogger = createLogger('sharing-test', { level: 'warn' });
