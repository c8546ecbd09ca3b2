import { natsContracts, type PolicyView } from '@sec-health/protocol';
import type { InternalClient } from '@sec-health/service-kit';

/**
 * A patient's emergency policy as the sharing service holds it now (its signed policy, or the
 * default), read over `internal.sharing.policy.resolve` (ADR 0006). No answer is
 * DEPENDENCY_UNAVAILABLE (InternalClient): no session opens without the patient's policy.
 */
export class PolicyReader {
  constructor(private readonly client: InternalClient) {}

  policyOf(patientId: string): Promise<PolicyView> {
    return this.client.call(natsContracts.policyResolve, { patientId });
  }
}
