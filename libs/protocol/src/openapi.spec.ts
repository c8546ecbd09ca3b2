import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

import { buildOpenApiDocument, httpRoutes, type HttpRoute } from './index.js';

const doc = buildOpenApiDocument({ version: 'test' });
const routes = httpRoutes as readonly HttpRoute[];

type Operation = {
  operationId?: string;
  security?: unknown;
  parameters?: { name: string; in: string; schema: object; example?: unknown }[];
  requestBody?: { content: { 'application/json': { schema: object; example?: unknown } } };
};

function operationOf(route: HttpRoute): Operation {
  return (doc.paths?.[route.path] as Record<string, Operation>)[route.method]!;
}

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect), patterns compiled with the u flag. */
function schemaValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: 'doc', components: doc.components });
  return (schema: object, value: unknown): string[] => {
    const resolved = JSON.parse(
      JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'),
    ) as object;
    const validate = ajv.compile(resolved);
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document by a maintained validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(
      JSON.parse(JSON.stringify(doc)) as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route with its schemas, path parameters and security', () => {
    for (const route of routes) {
      const op = operationOf(route);
      expect(op.operationId).toBe(route.id);
      expect(op.security !== undefined).toBe(route.access !== 'public');
    }
    const approve = doc.paths?.['/v1/participants/{participantId}/approve']?.post;
    expect(approve?.parameters?.map((p) => ('name' in p ? p.name : undefined))).toEqual([
      'participantId',
    ]);
    expect(Object.keys(doc.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['RegisterParticipantRequest', 'Participant', 'Error', 'Attestation']),
    );
  });

  it('publishes only patterns a JSON Schema validator compiles (no stray regex flags)', () => {
    const patterns = [...JSON.stringify(doc).matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map(
      (m) => JSON.parse(`"${m[1]}"`) as string,
    );
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      expect(pattern, pattern).not.toMatch(/\/[a-z]*$/);
      expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    }
  });

  it.each(routes.map((r) => [r.id, r] as const))(
    "%s: its example input validates against the route's own schema and the published one",
    (_id, route) => {
      expect(route.input.safeParse(route.example).error).toBeUndefined();
      const validate = schemaValidator();
      const op = operationOf(route);
      const inParameters = new Set<string>();
      for (const parameter of op.parameters ?? []) {
        inParameters.add(parameter.name);
        if (!(parameter.name in route.example)) continue;
        expect(parameter.example).toEqual(route.example[parameter.name]);
        expect(validate(parameter.schema, parameter.example), parameter.name).toEqual([]);
      }
      const body = op.requestBody?.content['application/json'];
      if (route.method === 'post' && body) {
        const expected = Object.fromEntries(
          Object.entries(route.example).filter(([name]) => !inParameters.has(name)),
        );
        expect(body.example).toEqual(expected);
        expect(validate(body.schema, body.example)).toEqual([]);
      }
    },
  );

  it('refuses, in the published schema too, a display name with a right-to-left override', () => {
    const validate = schemaValidator();
    const register = routes.find((r) => r.id === 'participants.register')!;
    const body = operationOf(register).requestBody!.content['application/json'];
    const example = body.example as { profile: { displayName: string } };
    const spoofed = { ...example, profile: { displayName: 'Dr. \u202Eevil' } };
    expect(validate(body.schema, spoofed)).not.toEqual([]);
  });
});
