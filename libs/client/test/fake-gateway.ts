import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { fromBase64Url, verifyCanonical } from '@sec-health/crypto';
import {
  ChallengeRequest,
  loginStatement,
  LoginRequest,
  registrationStatement,
  RegisterParticipantRequest,
  type Participant,
} from '@sec-health/protocol';

import { signedByCaller } from './admin-signature.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

/**
 * A stand-in for the gateway with the auth challenge/login, registration, participant get/search
 * whoami, organization create and participant approve/revoke routes. It checks the client's signatures itself, building the signed statements
 * from the contract rather than from the client's code.
 */
export class FakeGateway {
  readonly requests: RecordedRequest[] = [];
  readonly participants = new Map<string, Participant>();
  private readonly challenges = new Map<string, { participantId: string; nonce: string }>();
  private readonly tokens = new Map<string, Participant>();
  /** Set to answer every request with this status and raw body instead. */
  override: { status: number; body: string } | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Makes a participant active, as an approval would. */
  activate(id: string): void {
    const p = this.participants.get(id);
    if (p) this.participants.set(id, { ...p, status: 'active' });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
    });
    if (this.override) {
      res.writeHead(this.override.status, { 'content-type': 'application/json' });
      res.end(this.override.body);
      return;
    }
    const url = new URL(req.url ?? '/', this.url);
    const json = body ? (JSON.parse(body) as unknown) : {};
    const route = `${req.method} ${url.pathname}`;
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const error = (status: number, code: string, message: string) =>
      reply(status, { code, message, requestId: 'req-1' });

    if (route === 'POST /v1/auth/challenge') {
      const { participantId } = ChallengeRequest.parse(json);
      const challengeId = randomUUID();
      const nonce = randomBytes(24).toString('base64url');
      this.challenges.set(challengeId, { participantId, nonce });
      return reply(200, {
        challengeId,
        nonce,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
    }
    if (route === 'POST /v1/auth/login') {
      const login = LoginRequest.parse(json);
      const challenge = this.challenges.get(login.challengeId);
      const participant = this.participants.get(login.participantId);
      this.challenges.delete(login.challengeId);
      const statement = loginStatement({
        participantId: login.participantId,
        challengeId: login.challengeId,
        nonce: challenge?.nonce ?? '',
      });
      if (
        !challenge ||
        !participant ||
        challenge.participantId !== login.participantId ||
        !verifyCanonical(
          fromBase64Url('signing', participant.keys.signing),
          statement,
          fromBase64Url('signature', login.signature),
        )
      ) {
        return error(401, 'UNAUTHENTICATED', 'the login signature does not verify');
      }
      const token = randomBytes(16).toString('hex');
      this.tokens.set(token, participant);
      return reply(200, {
        token,
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
        participantId: participant.id,
        role: participant.role,
      });
    }
    if (route === 'POST /v1/participants') {
      const request = RegisterParticipantRequest.safeParse(json);
      if (!request.success) return error(400, 'VALIDATION_FAILED', 'invalid registration');
      const { proof, ...draft } = request.data;
      const statement = registrationStatement(draft);
      const ok = verifyCanonical(
        fromBase64Url('signing', draft.keys.signing),
        statement,
        fromBase64Url('proof', proof),
      );
      if (!ok) return error(400, 'VALIDATION_FAILED', 'the registration proof does not verify');
      const participant: Participant = {
        id: randomUUID(),
        role: draft.role,
        kind: draft.kind ?? null,
        organizationId: draft.organizationId ?? null,
        status: 'pending',
        profile: draft.profile,
        keys: draft.keys,
        keyVersion: 1,
        participantRef: `0x${randomBytes(32).toString('hex')}`,
        createdAt: new Date().toISOString(),
        attestation: null,
      };
      this.participants.set(participant.id, participant);
      return reply(201, participant);
    }

    const caller = this.tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!caller) return error(401, 'UNAUTHENTICATED', 'missing or invalid token');
    if (route === 'GET /v1/auth/whoami') {
      return reply(200, {
        participantId: caller.id,
        role: caller.role,
        organizationId: caller.organizationId,
      });
    }
    if (route === 'GET /v1/participants') {
      const items = [...this.participants.values()].filter(
        (p) => !url.searchParams.get('role') || p.role === url.searchParams.get('role'),
      );
      return reply(200, { items, next: null });
    }
    const get = /^GET \/v1\/participants\/([^/]+)$/.exec(route);
    if (get) {
      const p = this.participants.get(decodeURIComponent(get[1]!));
      return p ? reply(200, p) : error(404, 'NOT_FOUND', 'no such participant');
    }
    const fields = json as Record<string, string> & { authorization?: unknown };
    const unsigned = () =>
      error(401, 'UNAUTHENTICATED', `the action is not signed by ${caller.id}`);
    if (route === 'POST /v1/organizations') {
      const org = { name: fields.name ?? '' };
      if (!signedByCaller(caller, 'organizations.create', org, fields.authorization)) {
        return unsigned();
      }
      if (caller.role !== 'authority') {
        return error(403, 'FORBIDDEN', 'organizations.create needs role authority');
      }
      return reply(201, { id: randomUUID(), name: org.name, createdAt: new Date().toISOString() });
    }
    const admin = /^POST \/v1\/participants\/([^/]+)\/(approve|revoke)$/.exec(route);
    if (admin) {
      const participantId = decodeURIComponent(admin[1]!);
      const approve = admin[2] === 'approve';
      const signed: Record<string, string> = approve
        ? { participantId }
        : { participantId, reason: fields.reason ?? '' };
      const action = approve ? 'participants.approve' : 'participants.revoke';
      if (!signedByCaller(caller, action, signed, fields.authorization)) return unsigned();
      const p = this.participants.get(participantId);
      if (!p) return error(404, 'NOT_FOUND', 'no such participant');
      const updated: Participant = { ...p, status: approve ? 'active' : 'revoked' };
      this.participants.set(participantId, updated);
      return reply(200, updated);
    }
    return error(404, 'NOT_FOUND', `no route ${route}`);
  }
}
