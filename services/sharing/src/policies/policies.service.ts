import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson } from '@sec-health/crypto';
import { enqueueLedgerIntent, ledgerIntent } from '@sec-health/ledger';
import { anchorsOf } from '@sec-health/persistence';
import {
  domainEvents,
  ErrorCode,
  type PolicyView,
  ProtocolError,
  type SetPolicyRequest,
} from '@sec-health/protocol';
import { type Actor, actorProblem, requireActor } from '@sec-health/service-kit';

import { SHARING_SCHEMA } from '../config.js';
import { enforce } from '../refusal.js';
import { CONTEXT, type SharingContext } from '../runtime/runtime.js';
import { policyHash } from '../signatures/anchored-hashes.js';
import { defaultPolicyView } from './default-policy.js';
import { EmergencyPolicyEntity } from './emergency-policy.entity.js';
import { EmergencyPolicyRepository } from './emergency-policy.repository.js';
import { policyReadRefusal, policySetRefusal, policyVersionRefusal } from './policy-rules.js';

@Injectable()
export class PoliciesService {
  private readonly policies = new EmergencyPolicyRepository();

  constructor(@Inject(CONTEXT) private readonly context: SharingContext) {}

  private get runtime() {
    return this.context.runtime;
  }

  /**
   * The patient sets a new version of their signed emergency policy (policySetRefusal); it is
   * stored with its setPolicy anchor in one transaction, versions strictly increasing (else
   * CONFLICT). The policy in force sent again (a retry) returns it unchanged.
   */
  async set(actor: Actor | undefined, request: SetPolicyRequest): Promise<PolicyView> {
    const who = requireActor(actor);
    const manager = this.runtime.dataSource.manager;
    const inForce = await this.policies.current(manager, request.patientId);
    if (who.id === request.patientId && inForce && isSame(inForce, request)) {
      return this.view(inForce);
    }
    const now = new Date();
    const patient = (await this.context.directory.resolve([request.patientId])).get(
      request.patientId,
    );
    enforce(policySetRefusal({ actor: who, patient, request, now }));
    const patientRef = patient!.participantRef;
    if (patientRef === null) {
      throw new ProtocolError(ErrorCode.DependencyUnavailable, 'authority: no on-chain reference', {
        service: 'authority',
      });
    }
    const { policy } = request;
    const outcome = await this.runtime.dataSource.transaction(async (m) => {
      await this.policies.lockPatient(m, request.patientId);
      const current = await this.policies.current(m, request.patientId);
      if (current && isSame(current, request)) return { row: current, changed: false };
      enforce(policyVersionRefusal(current?.policyVersion ?? 0, request));
      const hash = policyHash(policy, request.signature);
      const row = Object.assign(new EmergencyPolicyEntity(), {
        patientId: request.patientId,
        policyVersion: policy.policyVersion,
        body: policy,
        signature: request.signature,
        policyHash: hash,
        outboxId: await enqueueLedgerIntent(
          m,
          `policy:${request.patientId}:v${policy.policyVersion}`,
          ledgerIntent('ConsentLedger', 'setPolicy', {
            patientRef,
            policyHash: hash,
            policyVersion: policy.policyVersion,
          }),
        ),
        createdAt: now,
      } satisfies EmergencyPolicyEntity);
      await this.policies.insert(m, row);
      return { row, changed: true };
    });
    if (outcome.changed) {
      this.runtime.sender.nudge();
      this.context.events.publish(domainEvents.policySet, {
        patientId: request.patientId,
        policyVersion: policy.policyVersion,
        at: now.toISOString(),
      });
    }
    return this.view(outcome.row);
  }

  /**
   * The policy in force for the patient, or the default when none was signed; for the patient,
   * emergency servers and the authority (policyReadRefusal), each active now.
   */
  async get(actor: Actor | undefined, patientId: string): Promise<PolicyView> {
    const who = requireActor(actor);
    enforce(policyReadRefusal(who, patientId));
    const current = await this.policies.current(this.runtime.dataSource.manager, patientId);
    const parties = await this.context.directory.resolve([who.id, patientId]);
    enforce(actorProblem(who, parties.get(who.id)));
    if (current) return this.view(current);
    if (parties.get(patientId)?.role !== 'patient') {
      throw new ProtocolError(ErrorCode.NotFound, 'no such patient');
    }
    return defaultPolicyView(patientId);
  }

  /**
   * The policy in force for the patient, or the default when none was signed, for another
   * service (policyResolve: only the services NATS lets publish it can ask, so no actor check).
   * The patient is not looked up: an id nobody signed a policy for gets the default.
   */
  async resolve(patientId: string): Promise<PolicyView> {
    const current = await this.policies.current(this.runtime.dataSource.manager, patientId);
    return current ? this.view(current) : defaultPolicyView(patientId);
  }

  private async view(row: EmergencyPolicyEntity): Promise<PolicyView> {
    const anchors = await anchorsOf(this.runtime.dataSource, SHARING_SCHEMA, [row.outboxId]);
    return {
      source: 'signed',
      policy: row.body,
      signature: row.signature,
      anchor: anchors.get(row.outboxId) ?? { status: 'pending', txHash: null, blockNumber: null },
    };
  }
}

function isSame(row: EmergencyPolicyEntity, request: SetPolicyRequest): boolean {
  return (
    row.signature === request.signature && canonicalJson(row.body) === canonicalJson(request.policy)
  );
}
