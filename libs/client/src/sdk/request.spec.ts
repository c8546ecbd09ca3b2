import { isProtocolError } from '@sec-health/protocol';
import { describe, expect, it } from 'vitest';

import { buildRequest } from './request.js';
import { routeById } from './routes.js';

const ID = '0192f7a4-1c2b-7d3e-8f40-123456789abc';
const AUTHORIZATION = { signedAt: '2026-01-01T00:00:00.000Z', signature: 'A'.repeat(86) };

describe('buildRequest', () => {
  it('fills path parameters and leaves them out of the POST body', () => {
    const plan = buildRequest(routeById('participants.revoke'), {
      participantId: ID,
      reason: ' left the hospital ',
      authorization: AUTHORIZATION,
    });
    expect(plan).toEqual({
      method: 'POST',
      pathAndQuery: `/v1/participants/${ID}/revoke`,
      body: JSON.stringify({ reason: 'left the hospital', authorization: AUTHORIZATION }),
    });
  });

  it('sends only the remaining fields when the path takes the rest', () => {
    const plan = buildRequest(routeById('participants.approve'), {
      participantId: ID,
      authorization: AUTHORIZATION,
    });
    expect(plan.body).toBe(JSON.stringify({ authorization: AUTHORIZATION }));
  });

  it('puts GET fields in the query, skipping absent ones, with the schema default applied', () => {
    const plan = buildRequest(routeById('participants.search'), {
      status: 'pending',
      role: undefined,
    });
    expect(plan).toEqual({
      method: 'GET',
      pathAndQuery: '/v1/participants?status=pending&limit=50',
      body: undefined,
    });
    expect(buildRequest(routeById('auth.whoami'), {}).pathAndQuery).toBe('/v1/auth/whoami');
  });

  it('sends list fields comma-separated, as the list schemas read them', () => {
    const plan = buildRequest(routeById('records.list'), {
      patientId: ID,
      category: ['allergies', 'notes'],
      confidentiality: 'N,R',
      sensitivity: [],
    });
    expect(plan.pathAndQuery).toBe(
      `/v1/patients/${ID}/records?category=allergies%2Cnotes&confidentiality=N%2CR&limit=50`,
    );
  });

  it('rejects input that breaks the contract, naming the field', () => {
    let error: unknown;
    try {
      buildRequest(routeById('participants.search'), { limit: 500, extra: 1 });
    } catch (e) {
      error = e;
    }
    expect(isProtocolError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(/limit/);
  });
});
