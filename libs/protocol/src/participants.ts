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

export const RegisterParticipantRequest = z
  .strictObject({
    role: Role,
    kind: CollaboratorKind.optional(),
    organizationId: Uuid.optional(),
    keys: PublicKeys,
    profile: Profile,
    proof: Signature64.meta({
      description: 'Ed25519 by keys.signing over registrationStatement (RFC 8785 canonical JSON)',
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
    keyVersion: z.number().int().positive(),
    participantRef: Hex32.nullable().meta({
      description:
        "On-chain reference; a patient's pseudonym is shown only to the patient and the authority",
    }),
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
    keyVersion: z.number().int().positive(),
    participantRef: Hex32.nullable().meta({
      description:
        "On-chain reference; a patient's pseudonym is shown only to the patient and the authority",
    }),
    attestation: SignedAttestation.nullable().meta({
      description:
        "The authority's signed attestation; for a patient, shown only to the patient and the authority (it names the pseudonym)",
    }),
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

export const RotateKeysRequest = z
  .strictObject({
    participantId: Uuid,
    keyVersion: z.number().int().positive().meta({ description: 'The key version being replaced' }),
    keys: PublicKeys,
    signedAt: IsoTime,
    signature: Signature64.meta({
      description: 'Ed25519 by the CURRENT signing key over rotationStatement (RFC 8785)',
    }),
    proof: Signature64.meta({
      description: 'Ed25519 by the NEW signing key (keys.signing) over the same statement',
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
