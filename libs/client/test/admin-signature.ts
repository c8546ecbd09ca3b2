import { fromBase64Url, verifyCanonical } from '@sec-health/crypto';
import {
  ActionAuthorization,
  adminActionStatement,
  SIGNED_AT_MAX_SKEW_MS,
  type AdminAction,
  type Participant,
} from '@sec-health/protocol';

/**
 * Whether `authorization` is `caller`'s signature over the administrative action, as the
 * authority checks it: built from the contract (libs/protocol), not from the client's code.
 */
export function signedByCaller(
  caller: Participant,
  action: AdminAction,
  fields: Record<string, string>,
  authorization: unknown,
): boolean {
  const parsed = ActionAuthorization.safeParse(authorization);
  if (!parsed.success) return false;
  const { signedAt, signature } = parsed.data;
  if (Math.abs(Date.now() - Date.parse(signedAt)) > SIGNED_AT_MAX_SKEW_MS) return false;
  return verifyCanonical(
    fromBase64Url('signing', caller.keys.signing),
    adminActionStatement(action, caller.id, fields, signedAt),
    fromBase64Url('signature', signature),
  );
}
