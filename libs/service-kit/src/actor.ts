import { ErrorCode, Header, ProtocolError, Role, Uuid } from '@sec-health/protocol';

/** Who is acting, as the gateway put it in the request headers. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
}

/** The headers of one request: its id and, when authenticated, the actor. */
export interface RequestHeaders {
  readonly requestId: string;
  readonly actor: Actor | undefined;
}

/** What NatsContext.getHeaders() returns: nats.js MsgHdrs, absent when the request had none. */
export interface HeaderReader {
  get(name: string): string;
}

/**
 * Reads the request id and actor headers. No actor id means "no actor"; an actor id with a
 * malformed id, role or organization is refused (UNAUTHENTICATED), never half-trusted.
 */
export function readRequestHeaders(
  headers: HeaderReader | undefined,
  newRequestId: () => string,
): RequestHeaders {
  const get = (name: string): string => headers?.get(name)?.trim() ?? '';
  const requestId = get(Header.RequestId).slice(0, 128) || newRequestId();
  const id = get(Header.ActorId);
  if (!id) return { requestId, actor: undefined };
  const role = Role.safeParse(get(Header.ActorRole));
  const organization = get(Header.ActorOrganization);
  if (
    !Uuid.safeParse(id).success ||
    !role.success ||
    (organization !== '' && !Uuid.safeParse(organization).success)
  ) {
    throw new ProtocolError(ErrorCode.Unauthenticated, 'malformed actor headers');
  }
  return { requestId, actor: { id, role: role.data, organizationId: organization || null } };
}

/** The actor, or UNAUTHENTICATED when the request carries none. */
export function requireActor(actor: Actor | undefined): Actor {
  if (!actor) throw new ProtocolError(ErrorCode.Unauthenticated, 'authentication required');
  return actor;
}
