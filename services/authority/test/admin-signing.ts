import { signCanonical, toBase64Url } from '@sec-health/crypto';
import { adminActionStatement, type AdminAction } from '@sec-health/protocol';

import type { ActorHeaders } from './authority-env.js';

export interface SigningOptions {
  /** Sign with this key instead of the actor's own. */
  readonly key?: Uint8Array;
  readonly signedAt?: string;
}

/** `fields` plus the `authorization` a client adds: the actor's signature over the statement. */
export function signed<F extends Record<string, string>>(
  action: AdminAction,
  actor: ActorHeaders,
  fields: F,
  options: SigningOptions = {},
): F & { authorization: { signedAt: string; signature: string } } {
  const key = options.key ?? actor.signingKey;
  if (!key) throw new Error(`no signing key for actor ${actor.id}`);
  const signedAt = options.signedAt ?? new Date().toISOString();
  const signature = toBase64Url(
    signCanonical(key, adminActionStatement(action, actor.id, fields, signedAt)),
  );
  return { ...fields, authorization: { signedAt, signature } };
}
