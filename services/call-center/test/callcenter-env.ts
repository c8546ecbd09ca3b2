import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { contractArtifacts } from '@sec-health/contracts';
import { generateSigningKeyPair, toBase64Url } from '@sec-health/crypto';
import {
  createProvider,
  deployOrLocate,
  grantRole,
  type ChainDeployment,
} from '@sec-health/ledger';
import {
  GATEWAY_PRINCIPAL,
  Header,
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

import { startCallCenter, type RunningCallCenter } from '../src/app.js';
import { callCenterConfig, type CallCenterConfig } from '../src/config.js';
import { participant, type TestParticipant } from './support/fixtures.js';
import { PolicyStandIn } from './support/policy-stand-in.js';

const DIRECTORY_PRINCIPAL = 'authority-directory-stand-in';
const POLICY_PRINCIPAL = 'sharing-policy-stand-in';

/** A fresh database, chain (contracts deployed) and private NATS, and the call-center service. */
export interface CallCenterEnv {
  readonly config: CallCenterConfig;
  readonly nats: SecureTestNats;
  readonly chain: TestChain;
  readonly provider: JsonRpcProvider;
  readonly deployment: ChainDeployment;
  readonly directory: DirectoryStandIn;
  readonly policies: PolicyStandIn;
  /** Connected as the gateway: the only principal allowed to send the service requests. */
  readonly gateway: NatsConnection;
  /** Domain events seen on `events.>` (as the gateway may subscribe). */
  readonly events: { subject: string; data: Record<string, unknown> }[];
  /** The service's log lines, parsed. */
  readonly logLines: Record<string, unknown>[];
  callCenter(): RunningCallCenter;
  start(): Promise<RunningCallCenter>;
  /** Grants SESSION_ROLE to the service's account, as the authority does. */
  grantSessionRole(): Promise<void>;
  /** A participant with fresh keys, known to the stand-in directory. */
  enroll(role: Role, overrides?: Partial<Omit<ResolvedParticipant, 'keys'>>): TestParticipant;
  /** Moves the chain's time and the service's clock forward together. */
  advance(seconds: number): Promise<void>;
  request<T = unknown>(subject: string, data: unknown, actor?: Actor): Promise<Reply<T>>;
  emergencyAccessLog(): Contract;
  close(): Promise<void>;
}

export async function openCallCenterEnv(): Promise<CallCenterEnv> {
  const [db, chain, nats] = await Promise.all([
    provideDatabase(),
    provideChain(),
    provideSecureNats({
      extraPrincipals: [
        { name: DIRECTORY_PRINCIPAL, subscribe: ['internal.authority.>'], allowResponses: true },
        { name: POLICY_PRINCIPAL, subscribe: ['internal.sharing.>'], allowResponses: true },
      ],
    }),
  ]);
  const home = await mkdtemp(join(tmpdir(), 'call-center-test-'));
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
  const config = callCenterConfig({
    ...nats.envFor('callcenter'),
    GATEWAY_PUBLIC_KEY: toBase64Url(gatewayKeys.publicKey),
    CALLCENTER_DATABASE_URL: db.url,
    CHAIN_RPC_URL: chain.rpcUrl,
    CHAIN_ID: String(chain.chainId),
    CALLCENTER_CHAIN_KEY: chain.accounts[3]!.privateKey,
    LEDGER_ADDRESS_BOOK: addressBookPath,
    CALLCENTER_ANCHOR_TIMEOUT_MS: '3000',
    CALLCENTER_EXPIRY_SWEEP_MS: '200',
  });
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger('callcenter', {
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
  const policies = new PolicyStandIn(await connect(nats.connectOptions(POLICY_PRINCIPAL)));
  await policies.start();
  const gateway = await connect(nats.connectOptions(GATEWAY_PRINCIPAL));
  const gatewaySigner = await ActorAssertionSigner.fromSeed(gatewayKeys.secretKey);
  const events: CallCenterEnv['events'] = [];
  const eventSubscription = gateway.subscribe('events.>');
  void (async () => {
    for await (const message of eventSubscription) {
      events.push({ subject: message.subject, data: message.json<Record<string, unknown>>() });
    }
  })();
  await gateway.flush();
  let running: RunningCallCenter | undefined;
  let offsetMs = 0;

  return {
    config,
    nats,
    chain,
    provider,
    deployment,
    directory,
    policies,
    gateway,
    events,
    logLines,
    callCenter() {
      if (!running) throw new Error('the call-center service was not started');
      return running;
    },
    async start() {
      running = await startCallCenter(config, logger, {
        clock: () => new Date(Date.now() + offsetMs),
      });
      return running;
    },
    async grantSessionRole() {
      await grantRole(deployment, admin, 'SESSION_ROLE', new Wallet(config.chainKey).address);
    },
    enroll(role, overrides = {}) {
      const enrolled = participant(role, overrides);
      directory.set(enrolled.resolved);
      return enrolled;
    },
    async advance(seconds) {
      await provider.send('evm_increaseTime', [seconds]);
      await provider.send('evm_mine', []);
      offsetMs += seconds * 1000;
    },
    async request<T>(subject: string, data: unknown, actor?: Actor): Promise<Reply<T>> {
      const requestId = randomUUID();
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
      const message = await gateway.request(subject, wire, { timeout: 20_000, headers: h });
      return message.json<Reply<T>>();
    },
    emergencyAccessLog() {
      return new Contract(
        deployment.contracts.EmergencyAccessLog,
        contractArtifacts.EmergencyAccessLog.abi,
        provider,
      );
    },
    async close() {
      await Promise.allSettled([gateway.close(), directory.stop(), policies.stop()]);
      await running?.close();
      provider.destroy();
      await Promise.allSettled([db.drop(), chain.stop(), nats.stop()]);
      await rm(home, { recursive: true, force: true });
    },
  };
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
