import { describe, expect, it } from 'vitest';

import { buildOpenApiDocument, httpRoutes } from '../src/index.js';

describe('OpenAPI document', () => {
  it('documents every route with its schemas, path parameters and security', () => {
    const doc = buildOpenApiDocument({ version: 'test' });
    for (const route of httpRoutes) {
      const op = (
        doc.paths?.[route.path] as Record<string, { operationId?: string; security?: unknown }>
      )[route.method];
      expect(op?.operationId).toBe(route.id);
      expect(op?.security !== undefined).toBe(route.access !== 'public');
    }
    const approve = doc.paths?.['/v1/participants/{participantId}/approve']?.post;
    expect(approve?.parameters?.map((p) => ('name' in p ? p.name : undefined))).toEqual([
      'participantId',
    ]);
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['RegisterParticipantRequest', 'Participant', 'Error', 'Attestation']),
    );
  });
});
