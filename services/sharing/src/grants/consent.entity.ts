import type {
  Consent,
  ConsentPermission,
  PurposeOfUse,
  RecordCategory,
} from '@sec-health/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One patient-signed consent (grant); revoked in place, never deleted. */
@Entity({ name: 'consents' })
export class ConsentEntity {
  @PrimaryColumn({ name: 'consent_id', type: 'uuid' })
  consentId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @Column({ name: 'grantee_id', type: 'uuid' })
  granteeId!: string;

  @Column({ name: 'permission', type: 'text' })
  permission!: ConsentPermission;

  @Column({ name: 'purpose_of_use', type: 'text' })
  purposeOfUse!: PurposeOfUse;

  /** scope.recordIds and scope.categories, as columns for the access queries. */
  @Column({ name: 'record_ids', type: 'uuid', array: true })
  recordIds!: string[];

  @Column({ name: 'categories', type: 'text', array: true })
  categories!: RecordCategory[];

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** The consent exactly as the patient signed it (consentStatement). */
  @Column({ name: 'body', type: 'jsonb' })
  body!: Consent;

  /** Ed25519 by the patient, base64url. */
  @Column({ name: 'signature', type: 'text' })
  signature!: string;

  /** 0x + SHA-256 of canonical {consent, signature}: ConsentGranted.consentHash. */
  @Column({ name: 'consent_hash', type: 'text' })
  consentHash!: string;

  /** The outbox row of grantConsent (bigint as a decimal string). */
  @Column({ name: 'outbox_id', type: 'bigint' })
  outboxId!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** The revocation as the patient signed it (consentRevocationStatement). */
  @Column({ name: 'revocation_signed_at', type: 'text', nullable: true })
  revocationSignedAt!: string | null;

  @Column({ name: 'revocation_signature', type: 'text', nullable: true })
  revocationSignature!: string | null;

  @Column({ name: 'revocation_hash', type: 'text', nullable: true })
  revocationHash!: string | null;

  @Column({ name: 'revocation_outbox_id', type: 'bigint', nullable: true })
  revocationOutboxId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
