import type { ParticipantKeys } from '@sec-health/crypto';
import {
  CreateOrganizationRequest,
  loginStatement,
  parseOrThrow,
  registrationStatement,
  rotationStatement,
  RegisterParticipantRequest,
  RevokeParticipantRequest,
  type Challenge,
  type HttpRouteId,
  type Participant,
  type Session,
} from '@sec-health/protocol';

import { ClientError, ClientErrorCode } from '../errors.js';
import { authorizeAction, type ActionSigner } from './admin-actions.js';
import { publicKeysOf, sign } from './proofs.js';
import { buildRequest } from './request.js';
import { routeById, type RouteInput, type RouteOutput } from './routes.js';
import { send, type FetchFunction } from './transport.js';

export interface SecHealthClientOptions {
  /** Base URL of the gateway, e.g. http://127.0.0.1:8080. */
  readonly apiUrl: string;
  readonly fetch?: FetchFunction;
  /** A token from an earlier login. */
  readonly token?: string;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

export interface Registration {
  readonly role: RegisterParticipantRequest['role'];
  readonly kind?: RegisterParticipantRequest['kind'];
  readonly organizationId?: string;
  readonly profile: RegisterParticipantRequest['profile'];
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The Sec-Health HTTP API, one typed method per route of `httpRoutes`, plus the flows that need
 * client-side crypto (registration proof, login signature, key rotation proof). Secret keys are
 * only used to sign here; they are never sent.
 */
export class SecHealthClient {
  readonly apiUrl: string;
  token: string | undefined;
  private readonly fetchFn: FetchFunction;

  /** The fetch this client sends with (binary transfers use it too). */
  get fetchFunction(): FetchFunction {
    return this.fetchFn;
  }
  private readonly timeoutMs: number;

  constructor(options: SecHealthClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Calls any route by id; the typed methods below are shorthands. */
  async call<Id extends HttpRouteId>(id: Id, input: RouteInput<Id>): Promise<RouteOutput<Id>> {
    const route = routeById(id);
    if (route.access !== 'public' && this.token === undefined) {
      throw new ClientError(ClientErrorCode.NotLoggedIn, `${id} needs a login first`, {
        route: id,
      });
    }
    const plan = buildRequest(route, input);
    const token = route.access === 'public' ? undefined : this.token;
    const options = { apiUrl: this.apiUrl, fetch: this.fetchFn, timeoutMs: this.timeoutMs };
    return (await send(options, route, plan, token)) as RouteOutput<Id>;
  }

  challenge(participantId: string): Promise<Challenge> {
    return this.call('auth.challenge', { participantId });
  }

  /** Exchanges a signed challenge for a session and keeps its token for later calls. */
  async exchangeSignedChallenge(input: RouteInput<'auth.login'>): Promise<Session> {
    const session = await this.call('auth.login', input);
    this.token = session.token;
    return session;
  }

  whoami(): Promise<RouteOutput<'auth.whoami'>> {
    return this.call('auth.whoami', {});
  }

  /** Signed by `signer` (the logged-in participant): the service checks the signature. */
  createOrganization(
    name: string,
    signer: ActionSigner,
  ): Promise<RouteOutput<'organizations.create'>> {
    const fields = parseOrThrow(
      CreateOrganizationRequest.omit({ authorization: true }),
      { name },
      'organization',
    );
    const authorization = authorizeAction('organizations.create', signer, fields);
    return this.call('organizations.create', { ...fields, authorization });
  }

  registerParticipant(input: RouteInput<'participants.register'>): Promise<Participant> {
    return this.call('participants.register', input);
  }

  /** Signed by `signer` (the logged-in participant): the service checks the signature. */
  approveParticipant(participantId: string, signer: ActionSigner): Promise<Participant> {
    const authorization = authorizeAction('participants.approve', signer, { participantId });
    return this.call('participants.approve', { participantId, authorization });
  }

  /** Signed by `signer` (the logged-in participant): the service checks the signature. */
  revokeParticipant(
    participantId: string,
    reason: string,
    signer: ActionSigner,
  ): Promise<Participant> {
    const fields = parseOrThrow(
      RevokeParticipantRequest.omit({ authorization: true }),
      { participantId, reason },
      'revocation',
    );
    const authorization = authorizeAction('participants.revoke', signer, fields);
    return this.call('participants.revoke', { ...fields, authorization });
  }

  submitKeyRotation(input: RouteInput<'participants.rotateKeys'>): Promise<Participant> {
    return this.call('participants.rotateKeys', input);
  }

  getParticipant(participantId: string): Promise<Participant> {
    return this.call('participants.get', { participantId });
  }

  searchParticipants(
    filter: RouteInput<'participants.search'> = {},
  ): Promise<RouteOutput<'participants.search'>> {
    return this.call('participants.search', filter);
  }

  getDirectoryEntry(participantId: string): Promise<RouteOutput<'directory.get'>> {
    return this.call('directory.get', { participantId });
  }

  /** Registers `keys` (public halves only) with a proof of possession by the signing key. */
  async register(registration: Registration, keys: ParticipantKeys): Promise<Participant> {
    const draft = parseOrThrow(
      RegisterParticipantRequest.omit({ proof: true }),
      { ...registration, keys: publicKeysOf(keys) },
      'registration',
    );
    const proof = sign(keys.signing.secretKey, registrationStatement(draft));
    return this.registerParticipant({ ...draft, proof });
  }

  /** Challenge, Ed25519 signature, login; the session's token is kept for later calls. */
  async login(participantId: string, keys: ParticipantKeys): Promise<Session> {
    const challenge = await this.challenge(participantId);
    const signature = sign(
      keys.signing.secretKey,
      loginStatement({ participantId, challengeId: challenge.challengeId, nonce: challenge.nonce }),
    );
    return this.exchangeSignedChallenge({
      participantId,
      challengeId: challenge.challengeId,
      signature,
    });
  }

  /**
   * Replaces the participant's keys: the statement is signed by the CURRENT signing key (the
   * authority checks it against its record) and by the new one (proof of possession).
   * `keyVersion` is the version being replaced. Every session opened before ends: log in again
   * with the new keys.
   */
  async rotateKeys(
    participantId: string,
    keyVersion: number,
    currentKeys: ParticipantKeys,
    newKeys: ParticipantKeys,
    now: Date = new Date(),
  ): Promise<Participant> {
    const keys = publicKeysOf(newKeys);
    const signedAt = now.toISOString();
    const statement = rotationStatement({ participantId, keyVersion, keys, signedAt });
    return this.submitKeyRotation({
      participantId,
      keyVersion,
      keys,
      signedAt,
      signature: sign(currentKeys.signing.secretKey, statement),
      proof: sign(newKeys.signing.secretKey, statement),
    });
  }
}
