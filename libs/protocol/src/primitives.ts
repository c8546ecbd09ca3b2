import { z } from 'zod';

/** Base64url without padding of exactly `bytes` bytes. */
export function base64urlBytes(bytes: number) {
  const length = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(length, `must be ${bytes} bytes as base64url (${length} characters)`)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
}

export const Uuid = z.uuid().meta({ description: 'UUID (participants: v7)' });
export const PublicKey32 = base64urlBytes(32);
export const Signature64 = base64urlBytes(64);
export const Hex32 = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/, 'must be 32 bytes as lowercase 0x-prefixed hex');
export const TxHash = Hex32;
/**
 * What human text may not contain: control characters (Cc), invisible format characters (Cf:
 * bidirectional overrides and isolates such as U+202E, zero-width spaces and joiners, the
 * invisible tag characters U+E0000-E007F) and line or paragraph separators (Zl, Zp). A name with
 * a right-to-left override can display as someone else's.
 */
const FORBIDDEN_IN_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** The same rule as a JSON Schema pattern (ECMA-262 with the u flag, as validators compile it). */
const TEXT_PATTERN = '^[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*$';

/**
 * Short human text: normalised to Unicode NFC and trimmed, 1 to `max` characters, none of the
 * invisible or control characters above.
 */
export function text(max: number) {
  return z
    .string()
    .normalize('NFC')
    .trim()
    .min(1)
    .max(max)
    .refine(
      (value) => !FORBIDDEN_IN_TEXT.test(value),
      'must not contain control, bidirectional or invisible format characters',
    )
    .meta({ pattern: TEXT_PATTERN });
}
export const IsoTime = z.iso.datetime({ offset: true });

export const Role = z
  .enum([
    'patient',
    'collaborator',
    'research',
    'attendant',
    'emergency-server',
    'org-admin',
    'authority',
  ])
  .meta({ id: 'Role' });
export type Role = z.infer<typeof Role>;

export const CollaboratorKind = z
  .enum(['physician', 'nurse', 'lab'])
  .meta({ id: 'CollaboratorKind' });
export type CollaboratorKind = z.infer<typeof CollaboratorKind>;

export const ParticipantStatus = z
  .enum(['pending', 'active', 'revoked'])
  .meta({ id: 'ParticipantStatus' });
export type ParticipantStatus = z.infer<typeof ParticipantStatus>;

/** Role numbers on chain (ParticipantRegistry `role`), fixed forever. */
export const ROLE_CODE: Record<Role, number> = {
  patient: 1,
  collaborator: 2,
  research: 3,
  attendant: 4,
  'emergency-server': 5,
  'org-admin': 6,
  authority: 7,
};
