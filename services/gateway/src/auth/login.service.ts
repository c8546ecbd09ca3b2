import {
  DirectoryEntry,
  ErrorCode,
  isProtocolError,
  LOGIN_PURPOSE,
  parseOrThrow,
  ProtocolError,
  Subject,
  type Challenge,
  type ChallengeRequest,
  type LoginRequest,
  type Session,
} from '@sec-health/protocol';
import { fromBase64Url, verifyCanonical } from '@sec-health/crypto';

import type { ServiceClient } from '../nats/service-client.js';
import type { ChallengeStore } from './challenge-store.js';
import type { TokenService } from './token.service.js';

/** The gateway itself, looking up the directory for a caller who is not yet authenticated. */
export const LOGIN_INTERNAL_CALLER = 'gateway/login';

/** Challenge-response login: an Ed25519 signature by the participant's directory key buys a token. */
export class LoginService {
  constructor(
    private readonly challenges: ChallengeStore,
    private readonly tokens: TokenService,
    private readonly services: ServiceClient,
  ) {}

  challenge(request: ChallengeRequest): Challenge {
    // Issued for any well-formed id, known or not, so the endpoint does not reveal who exists.
    return this.challenges.issue(request.participantId);
  }

  async login(request: LoginRequest, requestId: string): Promise<Session> {
    const nonce = this.challenges.take(request.challengeId, request.participantId);
    const entry = await this.directoryEntry(request.participantId, requestId);
    const signed = {
      purpose: LOGIN_PURPOSE,
      participantId: request.participantId,
      challengeId: request.challengeId,
      nonce,
    };
    if (!signatureVerifies(entry.keys.signing, signed, request.signature)) {
      throw new ProtocolError(ErrorCode.Unauthenticated, 'the login signature does not verify');
    }
    if (entry.status !== 'active') {
      throw new ProtocolError(ErrorCode.Forbidden, `the participant is ${entry.status}`);
    }
    const actor = { id: entry.id, role: entry.role, organizationId: entry.organizationId };
    const { token, expiresAt } = await this.tokens.issue(actor);
    return { token, expiresAt: expiresAt.toISOString(), participantId: entry.id, role: entry.role };
  }

  private async directoryEntry(participantId: string, requestId: string): Promise<DirectoryEntry> {
    let data: unknown;
    try {
      data = await this.services.request(
        Subject.DirectoryGet,
        { participantId },
        { requestId, internalCaller: LOGIN_INTERNAL_CALLER },
      );
    } catch (error) {
      // Unknown participants fail like bad signatures: login does not reveal who exists.
      if (isProtocolError(error, ErrorCode.NotFound)) {
        throw new ProtocolError(ErrorCode.Unauthenticated, 'the login signature does not verify');
      }
      throw error;
    }
    try {
      return parseOrThrow(DirectoryEntry, data, 'directory entry');
    } catch {
      throw new ProtocolError(
        ErrorCode.DependencyUnavailable,
        'authority answered with a malformed directory entry',
        { service: 'authority' },
      );
    }
  }
}

function signatureVerifies(publicKey: string, value: unknown, signature: string): boolean {
  try {
    return verifyCanonical(
      fromBase64Url('publicKey', publicKey),
      value,
      fromBase64Url('signature', signature),
    );
  } catch {
    // Malformed key or signature bytes: not a valid signature, not a server error.
    return false;
  }
}
