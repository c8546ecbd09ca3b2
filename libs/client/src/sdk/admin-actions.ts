import type { ParticipantKeys } from '@sec-health/crypto';
import {
  adminActionStatement,
  type ActionAuthorization,
  type AdminAction,
} from '@sec-health/protocol';

import { sign } from './proofs.js';

/**
 * Who signs an administrative action (organization create, participant approve and revoke): the
 * logged-in participant's id and an Ed25519 signature over the canonical statement.
 */
export interface ActionSigner {
  readonly actorId: string;
  /** Ed25519 over the RFC 8785 canonical JSON of `statement`, as unpadded base64url. */
  sign(statement: Record<string, string>): string;
}

/** A signer with the actor's own keys (only the signing secret is used, never sent). */
export function keysSigner(actorId: string, keys: ParticipantKeys): ActionSigner {
  return { actorId, sign: (statement) => sign(keys.signing.secretKey, statement) };
}

/** The `authorization` of a request: `fields` are its own fields, as the service parses them. */
export function authorizeAction(
  action: AdminAction,
  signer: ActionSigner,
  fields: Record<string, string>,
  now: Date = new Date(),
): ActionAuthorization {
  const signedAt = now.toISOString();
  const statement = adminActionStatement(action, signer.actorId, fields, signedAt);
  return { signedAt, signature: signer.sign(statement) };
}
