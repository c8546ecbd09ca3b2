import type { WrapContext } from '@sec-health/crypto';

/**
 * HPKE `info` of a record's data key wrapped to one participant (the patient, the author, a
 * grantee): bound to the record version and the recipient, so a wrapped key cannot be moved to
 * another record, version or person.
 */
export function recordKeyContext(
  recordId: string,
  version: number,
  recipientId: string,
): WrapContext {
  return {
    purpose: 'sec-health/record-key/v1',
    recordId,
    version: String(version),
    recipientId,
  };
}

/** HPKE `info` of one Shamir share sealed to emergency server `index`. */
export function emergencyShareContext(
  recordId: string,
  version: number,
  index: number,
  serverId: string,
): WrapContext {
  return {
    purpose: 'sec-health/emergency-share/v1',
    recordId,
    version: String(version),
    index: String(index),
    serverId,
  };
}
