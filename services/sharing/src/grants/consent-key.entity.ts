import { Column, Entity, PrimaryColumn } from 'typeorm';

import { bigintNumber } from '../bigint-number.js';

/**
 * A record version's data key wrapped (HPKE) to a consent's grantee. The service cannot open it;
 * it hands it to the grantee while the consent is in effect, and deletes it on revocation.
 */
@Entity({ name: 'consent_keys' })
export class ConsentKeyEntity {
  @PrimaryColumn({ name: 'consent_id', type: 'uuid' })
  consentId!: string;

  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @PrimaryColumn({ name: 'version', type: 'bigint', transformer: bigintNumber })
  version!: number;

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId!: string;

  @Column({ name: 'recipient_key_version', type: 'bigint', transformer: bigintNumber })
  recipientKeyVersion!: number;

  /** libs/crypto wrapKey output, base64url (81 bytes). */
  @Column({ name: 'wrapped_key', type: 'text' })
  wrappedKey!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
