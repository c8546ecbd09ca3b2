import { natsContracts, type NatsContractId } from './contracts.js';

/**
 * Who may do what on NATS (DESIGN.md section 2): every process connects as its own principal with
 * its own credentials. Only the gateway publishes service requests; a service subscribes only to
 * its own subjects, answers on the reply subject it was given, and publishes only its own events.
 * The nats-server configuration (npm start, tests, docker compose) is generated from this table.
 */
export interface NatsPrincipal {
  readonly name: string;
  /** Subjects the principal may publish to (NATS wildcards). */
  readonly publish: readonly string[];
  /** Subjects the principal may subscribe to. */
  readonly subscribe: readonly string[];
  /** Whether it may publish to the reply subject of a request it received (services). */
  readonly allowResponses: boolean;
  /** Its private inbox prefix: replies to its requests arrive under `<prefix>.>`. */
  readonly inboxPrefix: string;
}

/** The services behind the gateway, each answering `<name>.>` in queue group `<name>`. */
export const SERVICE_NAMES = ['authority', 'storage', 'sharing', 'callcenter'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Domain events each service publishes, `events.<aggregate>.<past-tense>`. */
const EVENTS_OF: Readonly<Record<ServiceName, readonly string[]>> = {
  authority: ['events.participant.>', 'events.organization.>'],
  storage: ['events.record.>'],
  sharing: ['events.consent.>', 'events.policy.>'],
  callcenter: ['events.session.>'],
};

/**
 * The reads each service may make of another (ADR 0006): `caller: 'service'` contracts on
 * `internal.<service>.>`, which the gateway cannot publish to. Nothing else crosses between
 * services but domain events.
 */
export const SERVICE_READS: Readonly<Record<ServiceName, readonly NatsContractId[]>> = {
  authority: [],
  storage: ['participantsResolve', 'emergencyServersResolve', 'accessCheck'],
  sharing: ['participantsResolve'],
  callcenter: ['participantsResolve', 'policyResolve'],
};

/** The subjects of `service`'s service-to-service reads, answered by others. */
export function internalSubjectsOf(service: string): string {
  return `internal.${service}.>`;
}

export const GATEWAY_PRINCIPAL = 'gateway';

export function inboxPrefixOf(principal: string): string {
  return `_INBOX_${principal.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** Every NATS principal of the system with its permissions. */
export function natsPrincipals(): readonly NatsPrincipal[] {
  const gateway: NatsPrincipal = {
    name: GATEWAY_PRINCIPAL,
    publish: SERVICE_NAMES.map((service) => `${service}.>`),
    subscribe: [`${inboxPrefixOf(GATEWAY_PRINCIPAL)}.>`, 'events.>'],
    allowResponses: false,
    inboxPrefix: inboxPrefixOf(GATEWAY_PRINCIPAL),
  };
  const services = SERVICE_NAMES.map((service): NatsPrincipal => {
    const reads = SERVICE_READS[service].map((id) => natsContracts[id].subject);
    return {
      name: service,
      publish: [...EVENTS_OF[service], ...reads],
      subscribe: [
        `${service}.>`,
        internalSubjectsOf(service),
        ...(reads.length > 0 ? [`${inboxPrefixOf(service)}.>`] : []),
      ],
      allowResponses: true,
      inboxPrefix: inboxPrefixOf(service),
    };
  });
  return [gateway, ...services];
}

/** NATS queue group of a service: its replicas share the load. */
export function queueGroup(service: string): string {
  return service;
}
