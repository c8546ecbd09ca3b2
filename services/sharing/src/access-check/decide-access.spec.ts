import type { AccessCheckRequest, Consent, WrappedKey } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { consentOf, grantKey, minutes, participant } from '../../test/support/fixtures.js';
import { decideAccess, type AccessCandidate } from './decide-access.js';

const NOW = new Date('2026-12-01T09:30:00.000Z');
const at = (offsetMinutes: number) =>
  new Date(NOW.getTime() + minutes(offsetMinutes)).toISOString();
const patient = participant('patient');
const physician = participant('collaborator');
const other = participant('collaborator');
const RECORD = '0190f5a0-3c1e-7d2a-9b4f-6a5e8c7d1f30';
const KEY: WrappedKey = grantKey(RECORD, physician.resolved).wrappedKey;

const ask = (fields: Partial<AccessCheckRequest> = {}): AccessCheckRequest => ({
  actorId: physician.resolved.id,
  patientId: patient.resolved.id,
  permission: 'read',
  category: 'allergies',
  recordId: RECORD,
  version: 1,
  ...fields,
});
const candidate = (
  fields: Partial<Consent> = {},
  options: { revoked?: boolean; key?: WrappedKey | null; grantee?: typeof physician } = {},
): AccessCandidate => ({
  consent: consentOf(patient, options.grantee ?? physician, fields, NOW),
  revokedAt: options.revoked ? NOW : null,
  key: options.key === undefined ? KEY : options.key,
});

describe('decideAccess', () => {
  it.each<[string, AccessCheckRequest, AccessCandidate[], boolean, WrappedKey | null, RegExp]>([
    [
      'a read grant for the category, with its key',
      ask(),
      [candidate()],
      true,
      KEY,
      /read granted by consent/,
    ],
    [
      'a read grant naming the record',
      ask({ category: 'notes' }),
      [candidate({ scope: { recordIds: [RECORD], categories: [] } })],
      true,
      KEY,
      /read granted/,
    ],
    [
      'a read grant without a key for this version',
      ask({ version: 2 }),
      [candidate({}, { key: null })],
      true,
      null,
      /no key is held/,
    ],
    [
      'a write grant checked for writing: no key is handed out',
      ask({ permission: 'write' }),
      [candidate({ permission: 'write' })],
      true,
      null,
      /write granted/,
    ],
    ['no grant at all', ask(), [], false, null, /no active read grant covers allergies/],
    [
      'a grant of another category',
      ask({ category: 'notes' }),
      [candidate()],
      false,
      null,
      /no active read grant covers notes/,
    ],
    [
      'a write grant asked for reading',
      ask(),
      [candidate({ permission: 'write' })],
      false,
      null,
      /no active read grant/,
    ],
    [
      'a read grant asked for writing',
      ask({ permission: 'write' }),
      [candidate()],
      false,
      null,
      /no active write grant/,
    ],
    ['a revoked grant', ask(), [candidate({}, { revoked: true })], false, null, /revoked/],
    [
      'an expired grant',
      ask(),
      [candidate({ validFrom: at(-60), expiresAt: at(-1) })],
      false,
      null,
      /expired/,
    ],
    [
      'a grant expiring at this instant',
      ask(),
      [candidate({ validFrom: at(-60), expiresAt: at(0) })],
      false,
      null,
      /expired/,
    ],
    [
      'a grant not valid yet',
      ask(),
      [candidate({ validFrom: at(5) })],
      false,
      null,
      /not valid yet/,
    ],
    [
      "another collaborator's grant",
      ask(),
      [candidate({}, { grantee: other })],
      false,
      null,
      /no active read grant/,
    ],
    [
      "another patient's grant",
      ask({ patientId: participant('patient').resolved.id }),
      [candidate()],
      false,
      null,
      /no active read grant/,
    ],
    [
      'a revoked grant beside a running one that holds the key',
      ask(),
      [candidate({}, { revoked: true }), candidate({}, { key: KEY })],
      true,
      KEY,
      /read granted/,
    ],
    [
      'the key from whichever running grant holds it',
      ask(),
      [candidate({ expiresAt: at(600) }, { key: null }), candidate({}, { key: KEY })],
      true,
      KEY,
      /read granted/,
    ],
  ])('%s', (_name, request, candidates, allowed, key, reason) => {
    const decision = decideAccess(request, candidates, NOW);
    expect(decision.allowed).toBe(allowed);
    expect(decision.wrappedKey).toEqual(key);
    expect(decision.reason).toMatch(reason);
    expect(decision.consentId === null).toBe(!allowed);
  });
});
