import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

import { ErrorBodySchema } from './errors.js';
import { Health } from './health.js';
import { httpRoutes, type HttpRoute } from './routes.js';

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input',
  401: 'Missing, invalid or expired token',
  403: 'The role may not call this route',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Payload too large',
  429: 'Too many requests',
  503: 'A dependency is unavailable',
};

/** The OpenAPI 3.1 document of the HTTP API, built from the same schemas the services validate. */
export function buildOpenApiDocument(info: {
  version: string;
}): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of httpRoutes as readonly HttpRoute[]) registerRoute(registry, route);
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Health of the gateway and of every service behind it',
    responses: {
      200: { description: 'Up', content: { 'application/json': { schema: z.array(Health) } } },
    },
  });
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'Sec-Health API', version: info.version },
  });
  for (const route of httpRoutes as readonly HttpRoute[]) publishExample(document, route);
  return document;
}

type Document = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** Puts the route's example input where a reader looks: on each parameter and on the body. */
function publishExample(document: Document, route: HttpRoute): void {
  const operation = document.paths?.[route.path]?.[route.method];
  if (!operation) return;
  const used = new Set<string>();
  for (const parameter of operation.parameters ?? []) {
    if (!('name' in parameter) || !(parameter.name in route.example)) continue;
    parameter.example = route.example[parameter.name];
    used.add(parameter.name);
  }
  const body = operation.requestBody;
  if (body && 'content' in body && body.content['application/json']) {
    body.content['application/json'].example = Object.fromEntries(
      Object.entries(route.example).filter(([name]) => !used.has(name)),
    );
  }
}

function registerRoute(registry: OpenAPIRegistry, route: HttpRoute): void {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const input = route.input as z.ZodObject;
  const mask = Object.fromEntries(pathParams.map((p) => [p, true as const])) as Record<
    string,
    true
  >;
  const params = pathParams.length > 0 ? input.pick(mask as never) : undefined;
  const rest = pathParams.length > 0 ? input.omit(mask as never) : input;
  const hasRest = Object.keys(rest.shape).length > 0;
  const errors = [
    400,
    ...(route.access === 'public' ? [] : [401, 403]),
    ...(route.errors ?? []),
    429,
    503,
  ];
  registry.registerPath({
    operationId: route.id,
    method: route.method,
    path: route.path,
    summary: route.summary,
    ...(route.access === 'public' ? {} : { security: [{ bearer: [] }] }),
    request: {
      ...(params ? { params } : {}),
      ...(hasRest && route.method === 'get' ? { query: rest } : {}),
      ...(hasRest && route.method === 'post'
        ? { body: { content: { 'application/json': { schema: rest } } } }
        : {}),
    },
    responses: {
      200: { description: 'OK', content: { 'application/json': { schema: route.output } } },
      ...Object.fromEntries(
        [...new Set(errors)].map((status) => [
          status,
          {
            description: STANDARD_ERRORS[status] ?? 'Error',
            content: { 'application/json': { schema: ErrorBodySchema } },
          },
        ]),
      ),
    },
  });
}
