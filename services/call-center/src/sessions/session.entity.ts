import type { CloseReason, ReasonCode, SessionOpening, SessionStatus } from '@sec-health/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One emergency session; it exists only once its SessionOpened is on chain (ADR 0001). */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @Column({ name: 'attendant_id', type: 'uuid' })
  attendantId!: string;

  /** The attendant's organization: whose attendants see and manage the session. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  /** The current collaborator (reassignment changes it). */
  @Column({ name: 'collaborator_id', type: 'uuid' })
  collaboratorId!: string;

  @Column({ name: 'reason_code', type: 'text' })
  reasonCode!: ReasonCode;

  @Column({ name: 'status', type: 'text' })
  status!: SessionStatus;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: CloseReason | null;

  /** The opening exactly as the attendant signed it (sessionOpeningStatement). */
  @Column({ name: 'opening', type: 'jsonb' })
  opening!: SessionOpening;

  /** Ed25519 by the attendant, base64url. */
  @Column({ name: 'signature', type: 'text' })
  signature!: string;

  /** How many times the session was reassigned: numbers each reassignment's anchor. */
  @Column({ name: 'reassignments', type: 'integer' })
  reassignments!: number;
}
