import type { EntityManager } from 'typeorm';

import { EmergencyPolicyEntity } from './emergency-policy.entity.js';

export class EmergencyPolicyRepository {
  /** The patient's policy in force: the highest version stored, if any. */
  current(manager: EntityManager, patientId: string) {
    return manager.findOne(EmergencyPolicyEntity, {
      where: { patientId },
      order: { policyVersion: 'DESC' },
    });
  }

  /**
   * A transaction-scoped advisory lock on the patient's policy, so concurrent updates compare
   * their versions one after the other.
   */
  async lockPatient(manager: EntityManager, patientId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `sharing:policy:${patientId}`,
    ]);
  }

  async insert(manager: EntityManager, policy: EmergencyPolicyEntity): Promise<void> {
    await manager.insert(EmergencyPolicyEntity, policy);
  }
}
