import { join } from 'node:path';

import { nkeyAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import {
  createDevCertificates,
  findExecutable,
  freePort,
  isLocalInfraError,
  LocalInfraErrorCode,
  makeTempDir,
  natsServerPath,
  prepareNatsServer,
  startNatsServer,
  type DevCertificates,
  type PreparedNatsServer,
  type StartedNatsServer,
} from '@sec-health/local-infra';
import { inboxPrefixOf, type NatsPrincipal } from '@sec-health/protocol';

import { TestInfraError, TestInfraErrorCode, describeError } from './errors.js';

/** A principal for this server only; permissions left out are none (e.g. `{ name: 'intruder' }`). */
export type ExtraNatsPrincipal = Pick<NatsPrincipal, 'name'> & Partial<Omit<NatsPrincipal, 'name'>>;

export interface ProvideSecureNatsOptions {
  /** Principals beyond natsPrincipals(), e.g. an `intruder` with no permissions. */
  readonly extraPrincipals?: readonly ExtraNatsPrincipal[];
  /**
   * Serve TLS with a throwaway CA and a certificate for 127.0.0.1/localhost, made with the openssl
   * CLI; clients must trust `caFile`.
   */
  readonly tls?: boolean;
  /** For NATS_SERVER_BIN and PATH. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Bound on the server answering. Default 15 s. */
  readonly startTimeoutMs?: number;
}

export interface SecureNatsIdentity {
  /** The NKey user seed, `SU...`. */
  readonly seed: string;
  /** The NKey public key, `U...`, as listed in the server config. */
  readonly publicKey: string;
  /** `<credentialsDir>/<name>.nk` (0600): what a service gets as NATS_NKEY_SEED_FILE. */
  readonly seedFile: string;
}

export interface SecureTestNats {
  readonly url: string;
  /** One per principal: natsPrincipals() and the extra ones. */
  readonly identities: Readonly<Record<string, SecureNatsIdentity>>;
  /** The 0700 directory of the seed files. */
  readonly credentialsDir: string;
  readonly configFile: string;
  /** The throwaway CA to trust, with `tls: true`; else undefined. */
  readonly caFile: string | undefined;
  readonly pid: number;
  /** Client options to connect as principal `name`: its NKey, its inbox prefix, the CA. */
  connectOptions(name: string): NodeConnectionOptions;
  /** What a service process connecting as `name` needs: NATS_URL, NATS_NKEY_SEED_FILE, NATS_TLS_CA_FILE. */
  envFor(name: string): Record<string, string>;
  /** Stops the server and removes its files. Idempotent. */
  stop(): Promise<void>;
}

function withDefaults(principal: ExtraNatsPrincipal): NatsPrincipal {
  return {
    publish: [],
    subscribe: [],
    allowResponses: false,
    inboxPrefix: inboxPrefixOf(principal.name),
    ...principal,
  };
}

async function certificates(dir: string): Promise<DevCertificates> {
  try {
    return await createDevCertificates(dir);
  } catch (error) {
    throw new TestInfraError(
      TestInfraErrorCode.TlsUnavailable,
      isLocalInfraError(error, LocalInfraErrorCode.ExecutableNotFound)
        ? `provideSecureNats({ tls: true }) needs the openssl CLI to make a throwaway CA: ${describeError(error)}`
        : `provideSecureNats({ tls: true }): the throwaway certificates failed: ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }
}

/**
 * A private nats-server for one test suite, configured the way npm start runs it: one NKey per
 * principal of natsPrincipals() (plus `extraPrincipals`) with its subject permissions, no anonymous
 * access, JetStream in a temp dir, and optionally TLS. Never NATS_URL or the shared server: those
 * have no such configuration.
 */
export async function provideSecureNats(
  options: ProvideSecureNatsOptions = {},
): Promise<SecureTestNats> {
  const env = options.env ?? process.env;
  const binary = natsServerPath(env);
  if (!binary) {
    throw new TestInfraError(
      TestInfraErrorCode.NatsUnavailable,
      'provideSecureNats needs a nats-server executable (NATS_SERVER_BIN, PATH or /usr/sbin): apt-get install nats-server, or a release from https://github.com/nats-io/nats-server/releases',
    );
  }
  if (options.tls && !findExecutable('openssl', [], env)) {
    throw new TestInfraError(
      TestInfraErrorCode.TlsUnavailable,
      'provideSecureNats({ tls: true }) needs the openssl CLI in PATH to make a throwaway CA: apt-get install openssl',
    );
  }
  const dir = await makeTempDir('sec-health-secure-nats-');
  let prepared: PreparedNatsServer;
  let tls: DevCertificates | undefined;
  let server: StartedNatsServer;
  try {
    tls = options.tls ? await certificates(join(dir.path, 'tls')) : undefined;
    // The free port can be taken between the check and the bind: retry on a new one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      prepared = prepareNatsServer({
        dir: join(dir.path, 'nats'),
        host: '127.0.0.1',
        port,
        extraPrincipals: (options.extraPrincipals ?? []).map(withDefaults),
        ...(tls ? { tls: { certFile: tls.certFile, keyFile: tls.keyFile } } : {}),
      });
      try {
        server = await startNatsServer({
          binary,
          configFile: prepared.configFile,
          serverName: prepared.serverName,
          port,
          timeoutMs: options.startTimeoutMs ?? 15_000,
        });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await dir.remove();
    if (error instanceof TestInfraError) throw error;
    throw new TestInfraError(
      TestInfraErrorCode.NatsUnavailable,
      `could not start a private nats-server (${binary}): ${describeError(error)}`,
      undefined,
      { cause: error },
    );
  }

  const identities: Record<string, SecureNatsIdentity> = {};
  for (const [name, credential] of Object.entries(prepared.credentials)) {
    identities[name] = {
      seed: credential.seed,
      publicKey: credential.publicKey,
      seedFile: credential.seedFile,
    };
  }
  const identity = (name: string): SecureNatsIdentity => {
    const found = identities[name];
    if (!found) {
      throw new TestInfraError(
        TestInfraErrorCode.Unsupported,
        `no NATS principal ${name} on this server (known: ${Object.keys(identities).join(', ')}); add it with extraPrincipals`,
      );
    }
    return found;
  };
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    identities,
    credentialsDir: prepared.credentialsDir,
    configFile: prepared.configFile,
    caFile: tls?.caFile,
    pid: server.process.pid,
    connectOptions(name) {
      const { seed } = identity(name);
      return {
        servers: server.url,
        name,
        authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
        inboxPrefix: inboxPrefixOf(name),
        ...(tls ? { tls: { caFile: tls.caFile } } : {}),
      };
    },
    envFor(name) {
      return {
        NATS_URL: server.url,
        NATS_NKEY_SEED_FILE: identity(name).seedFile,
        ...(tls ? { NATS_TLS_CA_FILE: tls.caFile } : {}),
      };
    },
    stop() {
      stopping ??= server.stop().then(() => dir.remove());
      return stopping;
    },
  };
}
