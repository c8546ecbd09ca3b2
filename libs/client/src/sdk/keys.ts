import { zeroize, type ParticipantKeys } from '@sec-health/crypto';

/** Overwrites both secret keys; call once the keys are no longer needed. */
export function zeroizeKeys(keys: ParticipantKeys | undefined): void {
  if (keys) zeroize(keys.signing.secretKey, keys.encryption.secretKey);
}
