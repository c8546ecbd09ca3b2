import { z } from 'zod';

import { ActionAuthorization } from './admin-action.js';
import {
  CollaboratorKind,
  Hex32,
  IsoTime,
  ParticipantStatus,
  PublicKey32,
  Role,
  Signature64,
  text,
  TxHash,
  Uuid,
} from './primitives.js';

export const Profile = z
  .strictObject({
    displayName: text(200),
    email: z.email().max(320).optional(),
  })
  .meta({ id: 'Profile' });

export const PublicKeys = z.strictObject({ signing: PublicKey32, encryption: PublicKey32 }).meta({
  id: 'PublicKeys',
  description: 'Ed25519 and X25519 public keys, generated on the client',
});

/**
 * What a registrant signs with the new signing key (proof of possession), as RFC 8785 canonical
 * JSON: `{ "purpose": "sec-health/register/v1", "role", "kind", "organizationId", "keys", "profile" }`.
 */
export const REGISTER_PURPOSE = 'sec-health/register/v1';

export const RegisterParticipantRequest = z
  .strictObject({
    role: Role,
    kind: CollaboratorKind.optional(),
    organizationId: Uuid.optional(),
    keys: PublicKeys,
    profile: Profile,
    proof: Signature64.meta({
      description: 'Ed25519 over the canonical registration, by keys.signing',
    }),
  })
  .meta({ id: 'RegisterParticipantRequest' });
export type RegisterParticipantRequest = z.infer<typeof RegisterParticipantRequest>;

export const AnchorInfo = z
  .strictObject({
    status: z.enum(['pending', 'confirmed', 'failed']),
    txHash: TxHash.nullable(),
    blockNumber: z.number().int().nonnegative().nullable(),
  })
  .meta({ id: 'AnchorInfo' });

export const Attestation = z
  .strictObject({
    version: z.literal(1),
    participantId: Uuid,
    participantRef: Hex32,
    role: Role,
    kind: CollaboratorKind.nullable(),
    organizationId: Uuid.nullable(),
    keys: PublicKeys,
    keyVersion: z.number().int().positive(),
    validFrom: IsoTime,
    validUntil: IsoTime,
    issuerId: Uuid,
    issuerSigningKey: PublicKey32,
  })
  .meta({
    id: 'Attestation',
    description: 'Signed by the authority; its SHA-256 is anchored on chain',
  });
export type Attestation = z.infer<typeof Attestation>;

export const SignedAttestation = z
  .strictObject({
    attestation: Attestation,
    signature: Signature64,
    /** SHA-256 of the canonical JSON of {attestation, signature}: the on-chain attestationHash. */
    hash: Hex32,
    anchor: AnchorInfo,
  })
  .meta({ id: 'SignedAttestation' });
export type SignedAttestation = z.infer<typeof SignedAttestation>;

export const Participant = z
  .strictObject({
    id: Uuid,
    role: Role,
    kind: CollaboratorKind.nullable(),
    organizationId: Uuid.nullable(),
    status: ParticipantStatus,
    profile: Profile,
    keys: PublicKeys,
    participantRef: Hex32,
    createdAt: IsoTime,
    attestation: SignedAttestation.nullable(),
  })
  .meta({ id: 'Participant' });
export type Participant = z.infer<typeof Participant>;

export const DirectoryEntry = z
  .strictObject({
    id: Uuid,
    role: Role,
    kind: CollaboratorKind.nullable(),
    organizationId: Uuid.nullable(),
    status: ParticipantStatus,
    keys: PublicKeys,
    participantRef: Hex32,
    attestation: SignedAttestation.nullable(),
  })
  .meta({
    id: 'DirectoryEntry',
    description: 'Public keys, attestation and status of a participant',
  });
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

export const ParticipantIdRequest = z
  .strictObject({ participantId: Uuid })
  .meta({ id: 'ParticipantIdRequest' });
export type ParticipantIdRequest = z.infer<typeof ParticipantIdRequest>;

export const ApproveParticipantRequest = z
  .strictObject({ participantId: Uuid, authorization: ActionAuthorization })
  .meta({ id: 'ApproveParticipantRequest' });
export type ApproveParticipantRequest = z.infer<typeof ApproveParticipantRequest>;

export const RevokeParticipantRequest = z
  .strictObject({ participantId: Uuid, reason: text(500), authorization: ActionAuthorization })
  .meta({ id: 'RevokeParticipantRequest' });
export type RevokeParticipantRequest = z.infer<typeof RevokeParticipantRequest>;

export const ROTATE_KEYS_PURPOSE = 'sec-health/rotate-keys/v1';

export const RotateKeysRequest = z
  .strictObject({
    participantId: Uuid,
    keys: PublicKeys,
    proof: Signature64.meta({
      description: 'Ed25519 over {purpose, participantId, keys} by the new signing key',
    }),
  })
  .meta({ id: 'RotateKeysRequest' });
export type RotateKeysRequest = z.infer<typeof RotateKeysRequest>;

export const SearchParticipantsRequest = z
  .strictObject({
    role: Role.optional(),
    organizationId: Uuid.optional(),
    status: ParticipantStatus.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    after: Uuid.optional().meta({ description: 'Return participants with ids after this one' }),
  })
  .meta({ id: 'SearchParticipantsRequest' });
export type SearchParticipantsRequest = z.infer<typeof SearchParticipantsRequest>;

export const ParticipantList = z
  .strictObject({ items: z.array(Participant), next: Uuid.nullable() })
  .meta({ id: 'ParticipantList' });
export type ParticipantList = z.infer<typeof ParticipantList>;
