import { randomUUID } from 'node:crypto';

import { zeroize } from '@sec-health/crypto';
import {
  consentRevocationStatement,
  consentStatement,
  emergencyPolicyStatement,
  type Consent,
  type ConsentPermission,
  type EmergencyPolicy,
  type Grant,
  type GrantKey,
  type PolicyView,
  type PurposeOfUse,
  type RecordCategory,
  type RecordVersion,
} from '@sec-health/protocol';

import { sign } from '../proofs.js';
import { wrapFor } from './build-version.js';
import type { Progress, RecordFlows } from './record-flows.js';

export interface NewGrant {
  readonly granteeId: string;
  readonly recordIds?: readonly string[];
  readonly categories?: readonly RecordCategory[];
  readonly permission: ConsentPermission;
  readonly purposeOfUse: PurposeOfUse;
  readonly expiresAt: Date;
  readonly validFrom?: Date;
}

export interface Revocation {
  readonly grant: Grant;
  /** The new versions written under fresh keys (empty with `rotate: false`). */
  readonly rotated: readonly RecordVersion[];
}

const sortedUnique = <T extends string>(items: readonly T[] = []): T[] =>
  [...new Set(items)].sort();

/**
 * The patient's side of sharing: grants signed here, the data keys in scope unwrapped with the
 * patient's key and wrapped to the grantee here; revocations signed here, followed by the
 * rotation of every record the grant covered.
 */
export class GrantFlows {
  constructor(private readonly records: RecordFlows) {}

  private get client() {
    return this.records.client;
  }

  private get me() {
    return this.records.me;
  }

  async create(grant: NewGrant, progress?: Progress): Promise<Grant> {
    const now = new Date();
    const consent: Consent = {
      consentId: randomUUID(),
      patientId: this.me.id,
      granteeId: grant.granteeId,
      scope: {
        recordIds: sortedUnique(grant.recordIds),
        categories: sortedUnique(grant.categories),
      },
      permission: grant.permission,
      purposeOfUse: grant.purposeOfUse,
      validFrom: (grant.validFrom ?? now).toISOString(),
      expiresAt: grant.expiresAt.toISOString(),
      signedAt: now.toISOString(),
    };
    const keys = grant.permission === 'read' ? await this.keysInScope(consent, progress) : [];
    return this.client.call('grants.create', {
      consent,
      signature: sign(this.me.keys.signing.secretKey, consentStatement(consent)),
      keys,
    });
  }

  /** The latest version of each of the patient's records in scope, its key wrapped to the grantee. */
  private async keysInScope(consent: Consent, progress?: Progress): Promise<GrantKey[]> {
    const grantee = await this.client.getDirectoryEntry(consent.granteeId);
    const versions = await this.versionsInScope(consent.scope);
    const keys: GrantKey[] = [];
    for (const [i, version] of versions.entries()) {
      const { recordId, version: number } = version.signed.metadata;
      const access = await this.client.call('records.get', { recordId, version: number });
      const dataKey = await this.records.dataKeyOf(access);
      try {
        keys.push({
          recordId,
          version: number,
          wrappedKey: await wrapFor(
            {
              id: grantee.id,
              encryptionKey: grantee.keys.encryption,
              keyVersion: grantee.keyVersion,
            },
            dataKey,
            recordId,
            number,
          ),
        });
      } finally {
        zeroize(dataKey);
      }
      progress?.(i + 1, versions.length);
    }
    return keys;
  }

  private async versionsInScope(scope: Consent['scope']): Promise<RecordVersion[]> {
    const byCategory =
      scope.categories.length > 0
        ? await this.records.listAll({ patientId: this.me.id, category: scope.categories })
        : [];
    const seen = new Set(byCategory.map((v) => v.signed.metadata.recordId));
    const byId: RecordVersion[] = [];
    for (const recordId of scope.recordIds) {
      if (seen.has(recordId)) continue;
      byId.push((await this.client.call('records.get', { recordId })).record);
    }
    return [...byCategory, ...byId];
  }

  /**
   * Revokes a grant: its wrapped keys go at once. With `rotate` (the default) every record it
   * covered gets a new version under a fresh key, wrapped again to the remaining grantees, so
   * keys the revoked party kept open nothing written after this.
   */
  async revoke(
    consentId: string,
    options: { rotate?: boolean } = {},
    progress?: Progress,
  ): Promise<Revocation> {
    const signedAt = new Date().toISOString();
    const statement = consentRevocationStatement({ consentId, patientId: this.me.id, signedAt });
    const grant = await this.client.call('grants.revoke', {
      consentId,
      signedAt,
      signature: sign(this.me.keys.signing.secretKey, statement),
    });
    if (options.rotate === false || grant.consent.permission !== 'read') {
      return { grant, rotated: [] };
    }
    const versions = await this.versionsInScope(grant.consent.scope);
    const rotated: RecordVersion[] = [];
    for (const [i, version] of versions.entries()) {
      rotated.push(await this.records.rotate(version.signed.metadata.recordId));
      progress?.(i + 1, versions.length);
    }
    return { grant, rotated };
  }

  /** Signs and stores the patient's emergency policy, one version above the current one. */
  async setPolicy(
    fields: Omit<EmergencyPolicy, 'patientId' | 'policyVersion' | 'signedAt'>,
  ): Promise<PolicyView> {
    const current = await this.client.call('policy.get', { patientId: this.me.id });
    const policy: EmergencyPolicy = {
      ...fields,
      patientId: this.me.id,
      policyVersion: current.source === 'signed' ? current.policy.policyVersion + 1 : 1,
      signedAt: new Date().toISOString(),
    };
    return this.client.call('policy.set', {
      patientId: this.me.id,
      policy,
      signature: sign(this.me.keys.signing.secretKey, emergencyPolicyStatement(policy)),
    });
  }
}
