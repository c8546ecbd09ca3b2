import { nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';
import { inboxPrefixOf } from '@sec-health/protocol';

import type { NatsConfig } from './common-config.js';
import { ConfigError, ConfigErrorCode } from './config.js';
import { readSecretFile } from './secret-file.js';

/**
 * How a process connects to NATS as `principal`: its own NKey (from NATS_NKEY_SEED_FILE), its own
 * inbox prefix (so replies to its requests reach only it), TLS when configured, and reconnecting
 * for ever once connected. The seed is read now, so a bad file fails the start, not a request.
 */
export function natsConnectionOptions(config: NatsConfig, principal: string): ConnectionOptions {
  const options: ConnectionOptions = {
    servers: config.url.split(',').map((server) => server.trim()),
    name: principal,
    inboxPrefix: inboxPrefixOf(principal),
    timeout: 3_000,
    maxReconnectAttempts: -1,
  };
  if (config.nkeySeedFile !== undefined) {
    const seed = readSecretFile('NATS_NKEY_SEED_FILE', config.nkeySeedFile);
    if (!/^SU[A-Z2-7]{56}$/.test(seed)) {
      throw new ConfigError(
        ConfigErrorCode.Invalid,
        `invalid configuration: NATS_NKEY_SEED_FILE: ${config.nkeySeedFile} does not hold an NKey user seed (SU...)`,
        { variables: ['NATS_NKEY_SEED_FILE'] },
      );
    }
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (config.tls !== undefined) options.tls = { ...config.tls };
  return options;
}
