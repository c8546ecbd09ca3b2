import type { CollaboratorKind, ParticipantStatus, Role } from '@sec-health/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'participants' })
export class ParticipantEntity {
  /** UUIDv7. */
  @PrimaryColumn({ name: 'id', type: 'uuid' })
  id!: string;

  @Column({ name: 'role', type: 'text' })
  role!: Role;

  @Column({ name: 'kind', type: 'text', nullable: true })
  kind!: CollaboratorKind | null;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId!: string | null;

  @Column({ name: 'status', type: 'text' })
  status!: ParticipantStatus;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  @Column({ name: 'email', type: 'text', nullable: true })
  email!: string | null;

  /** Ed25519 public key, base64url; unique across participants. */
  @Column({ name: 'signing_key', type: 'text' })
  signingKey!: string;

  /** X25519 public key, base64url. */
  @Column({ name: 'encryption_key', type: 'text' })
  encryptionKey!: string;

  @Column({ name: 'key_version', type: 'integer' })
  keyVersion!: number;

  /** On-chain reference, 0x hex. */
  @Column({ name: 'participant_ref', type: 'text' })
  participantRef!: string;

  /** Set only for the participants the setup command creates (`authority-admin`, `emergency-1`...). */
  @Column({ name: 'setup_name', type: 'text', nullable: true })
  setupName!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
