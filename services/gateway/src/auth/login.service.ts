import { verifyCanonicalEncoded } from '@sec-health/crypto';
import {
  ErrorCode,
  isProtocolError,
  loginStatement,
  natsContracts,
  ProtocolError,
  type Challenge,
  type ChallengeRequest,
  type DirectoryEntry,
  type LoginRequest,
  type Session,
} from '@sec-health/protocol';

import type { ServiceClient } from '../nats/service-client.js';
import type { ChallengeStore } from './challenge-store.js';
import type { TokenService } from './token.service.js';

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
    const statement = loginStatement({
      participantId: request.participantId,
      challengeId: request.challengeId,
      nonce,
    });
    if (!verifyCanonicalEncoded(entry.keys.signing, statement, request.signature)) {
      throw new ProtocolError(ErrorCode.Unauthenticated, 'the login signature does not verify');
    }
    if (entry.status !== 'active') {
      throw new ProtocolError(ErrorCode.Forbidden, `the participant is ${entry.status}`);
    }
    const { token, expiresAt } = await this.tokens.issue({
      id: entry.id,
      role: entry.role,
      organizationId: entry.organizationId,
      keyVersion: entry.keyVersion,
    });
    return { token, expiresAt: expiresAt.toISOString(), participantId: entry.id, role: entry.role };
  }

  private async directoryEntry(participantId: string, requestId: string): Promise<DirectoryEntry> {
    try {
      return await this.services.call(
        natsContracts.directoryGet,
        { participantId },
        { requestId, via: 'login' },
      );
    } catch (error) {
      // Unknown participants fail like bad signatures: login does not reveal who exists.
      if (isProtocolError(error, ErrorCode.NotFound)) {
        throw new ProtocolError(ErrorCode.Unauthenticated, 'the login signature does not verify');
      }
      throw error;
    }
  }
}
