import type { EmergencyPolicy } from '@sec-health/protocol';
import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigintNumber } from '../bigint-number.js';

/** Every version of a patient's signed emergency policy; the highest version is in force. */
@Entity({ name: 'emergency_policies' })
export class EmergencyPolicyEntity {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid' })
  patientId!: string;

  @PrimaryColumn({ name: 'policy_version', type: 'bigint', transformer: bigintNumber })
  policyVersion!: number;

  /** The policy exactly as the patient signed it (emergencyPolicyStatement). */
  @Column({ name: 'body', type: 'jsonb' })
  body!: EmergencyPolicy;

  @Column({ name: 'signature', type: 'text' })
  signature!: string;

  /** 0x + SHA-256 of canonical {policy, signature}: PolicySet.policyHash. */
  @Column({ name: 'policy_hash', type: 'text' })
  policyHash!: string;

  @Column({ name: 'outbox_id', type: 'bigint' })
  outboxId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
