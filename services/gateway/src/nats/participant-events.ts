import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { domainEvents } from '@sec-health/protocol';
import type { Logger } from '@sec-health/service-kit';

/**
 * Listens to the authority's participant events and tells `forget` which participant was revoked
 * or rotated its keys, so sessions issued before end at once rather than when a cache expires.
 */
export function onParticipantChange(
  nc: NatsConnection,
  forget: (participantId: string) => void,
  logger: Logger,
): Subscription[] {
  return [domainEvents.participantRevoked, domainEvents.participantKeysRotated].map((event) =>
    nc.subscribe(event.subject, {
      callback: (error, msg) => {
        if (error) {
          logger.warn({ subject: event.subject }, 'participant events unavailable');
          return;
        }
        let body: unknown;
        try {
          body = msg.json();
        } catch {
          body = undefined;
        }
        const parsed = event.schema.safeParse(body);
        if (parsed.success) forget(parsed.data.participantId);
        else logger.warn({ subject: event.subject }, 'ignored a malformed participant event');
      },
    }),
  );
}
