import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { natsPrincipals, type NatsPrincipal } from '@sec-health/protocol';

import { LocalInfraError, LocalInfraErrorCode, describeError } from './errors.js';
import { natsServerConfig, type NatsServerTls } from './nats-config.js';
import {
  assertPrincipalName,
  createNatsIdentity,
  natsIdentityFromSeed,
  type NatsIdentity,
} from './nats-identity.js';
import { ensurePrivateDir, restrictToOwner, writePrivateFile } from './private-files.js';

export interface NatsCredential extends NatsIdentity {
  /** `<credentialsDir>/<name>.nk`: the seed text and a newline, mode 0600. */
  readonly seedFile: string;
}

export function seedFileOf(credentialsDir: string, name: string): string {
  assertPrincipalName(name);
  return join(credentialsDir, `${name}.nk`);
}

/**
 * One NKey per principal in `credentialsDir` (0700): an existing `<name>.nk` is kept (and narrowed
 * to 0600), a missing one is generated. Seeds are never replaced, so a restart keeps identities.
 */
export function loadOrCreateNatsCredentials(
  credentialsDir: string,
  names: readonly string[],
): Readonly<Record<string, NatsCredential>> {
  ensurePrivateDir(credentialsDir);
  const credentials: Record<string, NatsCredential> = {};
  for (const name of names) {
    const seedFile = seedFileOf(credentialsDir, name);
    let identity: NatsIdentity;
    if (existsSync(seedFile)) {
      restrictToOwner(seedFile);
      let text: string;
      try {
        text = readFileSync(seedFile, 'utf8');
      } catch (error) {
        throw new LocalInfraError(
          LocalInfraErrorCode.InvalidCredentials,
          `cannot read ${seedFile}: ${describeError(error)}`,
          undefined,
          { cause: error },
        );
      }
      try {
        identity = natsIdentityFromSeed(name, text);
      } catch (error) {
        throw new LocalInfraError(
          LocalInfraErrorCode.InvalidCredentials,
          `${seedFile} holds no valid NKey user seed: delete it to generate a new identity for ${name}`,
          undefined,
          { cause: error },
        );
      }
    } else {
      identity = createNatsIdentity(name);
      writePrivateFile(seedFile, `${identity.seed}\n`);
    }
    credentials[name] = { ...identity, seedFile };
  }
  return credentials;
}

export interface PrepareNatsServerOptions {
  /** Holds the config, `creds/` and, by default, the JetStream store. Made 0700. */
  readonly dir: string;
  readonly host: string;
  readonly port: number;
  /** Default natsPrincipals() from libs/protocol: every process of the system. */
  readonly principals?: readonly NatsPrincipal[];
  /** More principals for this server only, e.g. a test's `intruder`. */
  readonly extraPrincipals?: readonly NatsPrincipal[];
  /** Default `<dir>/nats-server.conf`. */
  readonly configFile?: string;
  /** Default `<dir>/creds`. */
  readonly credentialsDir?: string;
  /** JetStream's store_dir; default `dir` (the data then lands in `<dir>/jetstream`), `false` for none. */
  readonly storeDir?: string | false;
  readonly tls?: NatsServerTls;
  /** Default `sec-health-<hash of dir>`: the same for every start from this directory. */
  readonly serverName?: string;
}

export interface PreparedNatsServer {
  readonly host: string;
  readonly port: number;
  /** nats://host:port (a client upgrades to TLS when the server requires it). */
  readonly url: string;
  readonly configFile: string;
  readonly credentialsDir: string;
  readonly storeDir: string | undefined;
  /** The config's server_name; give it to startNatsServer to recognise this server. */
  readonly serverName: string;
  readonly principals: readonly NatsPrincipal[];
  readonly credentials: Readonly<Record<string, NatsCredential>>;
}

/**
 * Writes what a private nats-server needs: the credentials (kept if present) and a config (0600,
 * rewritten every time, so a principal added to the table gets its permissions on the next start).
 */
export function prepareNatsServer(options: PrepareNatsServerOptions): PreparedNatsServer {
  const principals = [
    ...(options.principals ?? natsPrincipals()),
    ...(options.extraPrincipals ?? []),
  ];
  ensurePrivateDir(options.dir);
  const credentialsDir = options.credentialsDir ?? join(options.dir, 'creds');
  const configFile = options.configFile ?? join(options.dir, 'nats-server.conf');
  const storeDir = options.storeDir === false ? undefined : (options.storeDir ?? options.dir);
  // Stable per directory: nats-server cannot reload a config whose server_name changed.
  const serverName =
    options.serverName ??
    `sec-health-${createHash('sha256').update(options.dir).digest('hex').slice(0, 12)}`;
  principals.forEach((p) => assertPrincipalName(p.name));
  const credentials = loadOrCreateNatsCredentials(
    credentialsDir,
    principals.map((p) => p.name),
  );
  const text = natsServerConfig({
    host: options.host,
    port: options.port,
    principals: principals.map((principal) => ({
      principal,
      publicKey: credentials[principal.name]!.publicKey,
    })),
    ...(storeDir !== undefined ? { storeDir } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
    serverName,
  });
  writePrivateFile(configFile, text);
  return {
    host: options.host,
    port: options.port,
    url: `nats://${options.host}:${options.port}`,
    configFile,
    credentialsDir,
    storeDir,
    serverName,
    principals,
    credentials,
  };
}
