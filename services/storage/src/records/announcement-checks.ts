import {
  ErrorCode,
  ProtocolError,
  type EmergencyServerSet,
  type PutRecordRequest,
  type ResolvedParticipant,
} from '@sec-health/protocol';

import { invalid } from './record-errors.js';

/**
 * The checks of a record announcement that need no I/O: the data key goes to exactly the patient
 * and the author, at their current key versions; the shares and their commitments go to exactly
 * the current emergency server set, with its threshold.
 */
export function assertKeyRecipients(
  request: PutRecordRequest,
  patient: ResolvedParticipant,
  author: ResolvedParticipant,
): void {
  const expected = new Map([patient, author].map((p) => [p.id, p.keyVersion]));
  const given = request.keys.map((key) => key.recipientId);
  if (new Set(given).size !== given.length || given.length !== expected.size) {
    throw invalid('keys', 'must wrap the data key once to the patient and once to the author');
  }
  for (const key of request.keys) {
    const current = expected.get(key.recipientId);
    if (current === undefined) {
      throw invalid('keys', 'grantees receive keys through their grant, not with the record');
    }
    if (key.recipientKeyVersion !== current) {
      throw invalid(
        'keys',
        `wrapped to key version ${key.recipientKeyVersion} of ${key.recipientId}, whose current version is ${current}`,
        'STALE_RECIPIENT_KEY',
      );
    }
  }
}

export function assertEmergencyShares(request: PutRecordRequest, set: EmergencyServerSet): void {
  const { emergency } = request.signed.metadata;
  if (set.servers.length < 2) {
    throw new ProtocolError(
      ErrorCode.DependencyUnavailable,
      'fewer than two emergency servers are registered: records cannot be stored yet',
    );
  }
  if (emergency.threshold !== set.threshold) {
    throw invalid(
      'signed.metadata.emergency.threshold',
      `must be ${set.threshold}`,
      'EMERGENCY_SET_CHANGED',
    );
  }
  const sameSet = (list: readonly { index: number; serverId: string }[]) =>
    list.length === set.servers.length &&
    list.every(
      (item, i) =>
        item.index === set.servers[i]!.index && item.serverId === set.servers[i]!.participantId,
    );
  if (!sameSet(emergency.commitments)) {
    throw invalid(
      'signed.metadata.emergency.commitments',
      'must name the current emergency servers in index order',
      'EMERGENCY_SET_CHANGED',
    );
  }
  if (!sameSet([...request.shares].sort((a, b) => a.index - b.index))) {
    throw invalid(
      'shares',
      'must hold one share for each current emergency server',
      'EMERGENCY_SET_CHANGED',
    );
  }
}
