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
/** Short human text: trimmed, 1 to `max` characters, no control characters. */
export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
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
