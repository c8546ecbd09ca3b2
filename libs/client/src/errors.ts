import { CodedError, errorGuard } from '@sec-health/errors';

/** Failures that happen on the client side, before or instead of a gateway's ProtocolError. */
export const ClientErrorCode = {
  /** The gateway did not answer: connection refused, DNS failure or timeout. */
  GatewayUnreachable: 'CLIENT_GATEWAY_UNREACHABLE',
  /** The gateway answered something that is not the contract's response for this route. */
  UnexpectedResponse: 'CLIENT_UNEXPECTED_RESPONSE',
  /** The route needs a token and the client has none (or it has expired). */
  NotLoggedIn: 'CLIENT_NOT_LOGGED_IN',
  /** The profile has not been registered yet, so it has no participant id. */
  NotRegistered: 'CLIENT_NOT_REGISTERED',
  ProfileNotFound: 'CLIENT_PROFILE_NOT_FOUND',
  ProfileNameInvalid: 'CLIENT_PROFILE_NAME_INVALID',
  ProfileExists: 'CLIENT_PROFILE_EXISTS',
  ProfileCorrupt: 'CLIENT_PROFILE_CORRUPT',
  ProfileUnsupportedVersion: 'CLIENT_PROFILE_UNSUPPORTED_VERSION',
  /** A passphrase is needed but there is no terminal to ask on and no environment variable. */
  PassphraseUnavailable: 'CLIENT_PASSPHRASE_UNAVAILABLE',
  /** A record refused before encryption: not valid FHIR R4, or content of the wrong type or size. */
  InvalidRecord: 'CLIENT_INVALID_RECORD',
  /** Downloaded content or metadata does not match its signature, its hash or its chain anchor. */
  IntegrityFailed: 'CLIENT_INTEGRITY_FAILED',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Details carry names, urls and counts only, never keys, tokens or passphrases. */
export type ClientErrorDetails = Readonly<Record<string, string | number | boolean>>;

export class ClientError extends CodedError<ClientErrorCode, ClientErrorDetails> {}

export const isClientError = errorGuard(ClientError);

export function gatewayUnreachable(apiUrl: string, cause: unknown, timedOut: boolean): ClientError {
  const what = timedOut ? 'did not answer in time' : 'does not answer';
  return new ClientError(
    ClientErrorCode.GatewayUnreachable,
    `the gateway at ${apiUrl} ${what}: start it with \`npm start\` (or set --api / SECHEALTH_API)`,
    { apiUrl, timedOut },
    { cause },
  );
}
