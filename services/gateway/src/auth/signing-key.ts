import { fromBase64Url, signingPublicKey, toBase64Url } from '@sec-health/crypto';
import { ConfigError, ConfigErrorCode, readSecretFile } from '@sec-health/service-kit';

/** The gateway's Ed25519 key: signs session tokens and the actor assertions services verify. */
export interface GatewaySigningKey {
  readonly seed: Uint8Array;
  /** base64url: what services are given as GATEWAY_PUBLIC_KEY. */
  readonly publicKey: string;
}

/** Reads GATEWAY_SIGNING_KEY_FILE: a 0600 file holding the 32-byte seed as base64url. */
export function readSigningKey(path: string): GatewaySigningKey {
  const text = readSecretFile('GATEWAY_SIGNING_KEY_FILE', path);
  let seed: Uint8Array | undefined;
  try {
    seed = fromBase64Url('GATEWAY_SIGNING_KEY_FILE', text);
  } catch {
    seed = undefined;
  }
  if (seed?.length !== 32) {
    throw new ConfigError(
      ConfigErrorCode.Invalid,
      `invalid configuration: GATEWAY_SIGNING_KEY_FILE: ${path} must hold a 32-byte Ed25519 seed as base64url`,
      { variables: ['GATEWAY_SIGNING_KEY_FILE'] },
    );
  }
  return { seed, publicKey: toBase64Url(signingPublicKey(seed)) };
}
