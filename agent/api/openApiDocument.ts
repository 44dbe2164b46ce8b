import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { packageVersion } from '../packageInfo.js';
import { formatHostPort, OPENABLE_ROUTES } from '../config/index.js';
import { ApiErrorBodySchema } from './responseSchemas.js';

const DESCRIPTION = [
  'The pos-agent\'s local POS API: what a cashier app calls to redeem, earn, check out and read balances with the card the customer swipes.',
  '',
  '- Loopback only. Bodies are JSON objects (`Content-Type: application/json`; any other type: 415) of at most 16 KiB (bigger: 413); amounts are whole numbers in minor units, points whole points, each 1 to 1000000000.',
  '- `timeoutMs` (100 to 600000) bounds a card operation: the wait for the swipe and the host calls.',
  '- `reference` is the idempotency key of a card operation: see each route. It is printable ASCII, 1 to 64 characters, never card-number shaped.',
  '- A body field the route does not name is refused with 400, as is a query parameter `/v1/balance` or `/v1/queue` does not name.',
  '- Every error has one body shape (`ApiError`); its `code` is stable.',
  '- When the agent is configured with `api.tokenFile`, every route needs `Authorization: Bearer <token>` (else 401); `/v1/health` and `/metrics` only when `api.openRoutes` closes them.',
  '- A `Host` header other than the listen address or `localhost` is refused with 421 on every route, token or not (DNS rebinding).',
].join('\n');

/** The operations' groups (each route names one in its `tags`). */
const TAGS = [
  { name: 'card', description: 'Card operations, each arming the reader and waiting for the customer\'s swipe (bounded by `timeoutMs`), and the recorded outcome of one.' },
  { name: 'queue', description: 'The store-and-forward queue: what waits for the host, and sending it now.' },
  { name: 'monitoring', description: 'For a health probe and a metrics scraper; open without the token unless `api.openRoutes` closes them.' },
  { name: 'document', description: 'This OpenAPI document.' },
];

/** What every route may answer before its own code runs: the router, hostCheck.ts, bearerAuth.ts. */
const GUARD_400 = 'Before any route, and before the token check: `E37` for a request with two Host headers, or a URL that is not valid percent-encoding.';
const GUARD_ANSWERS = {
  401: ApiErrorBodySchema.describe('`token-required` (no bearer token) or `token-invalid`: when `api.tokenFile` is set (for `/v1/health` and `/metrics`, only when `api.openRoutes` closes them).'),
  421: ApiErrorBodySchema.describe('`host-not-allowed`: the Host header is not the listen address or `localhost`.'),
};
/** Any route whose handler fails unexpectedly (apiErrorHandler.ts). */
const INTERNAL_ERROR = ApiErrorBodySchema.describe('E21: internal error (logged).');
const WWW_AUTHENTICATE = {
  description: '`Bearer realm="pos-agent"`, with `error="invalid_token"` for a token that is not the agent\'s (RFC 6750).',
  required: true,
  schema: { type: 'string' },
};

/** The routes `api.openRoutes` may leave open: the token is optional there (`{}`), required everywhere else. */
const OPEN: ReadonlySet<string> = new Set(OPENABLE_ROUTES);

/** A fastify route pattern as an OpenAPI path (`/v1/operations/:reference` → `/v1/operations/{reference}`). */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

interface OperationObject {
  requestBody?: { required?: boolean };
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}

/**
 * Collects every route registered after it into an OpenAPI 3.1 document, from
 * the routes' own zod schemas (request and response), served at
 * `GET /openapi.json`. Register it before the routes, at the app's root
 * (it sees routes through fastify's onRoute hook). `listen` is the address as
 * configured: the document's server is it, with the port bound.
 *
 * Every route's documented answers gain those of the guards that run before
 * it (400, 401, 421) and 500, and its security requirement: the bearer token
 * (optional on the routes `api.openRoutes` may leave open). A request body is
 * required unless the route's schema accepts none.
 */
export async function registerOpenApi(app: FastifyInstance, listen: { host: string; port: number }): Promise<void> {
  /** `METHOD /path` of the operations whose body may be left out, filled as the document is generated. */
  const bodyOptional = new Set<string>();
  const withGuardAnswers: typeof jsonSchemaTransform = (input) => {
    if (input.schema === undefined) return jsonSchemaTransform(input);
    const { body, response } = input.schema as { body?: unknown; response?: Record<string, unknown> };
    if (body instanceof z.ZodType && body.safeParse(undefined).success) {
      for (const m of [input.route.method].flat()) bodyOptional.add(`${m.toUpperCase()} ${openApiPath(input.url)}`);
    }
    const own400 = response?.[400];
    const bad = ApiErrorBodySchema.describe(own400 instanceof z.ZodType && own400.description ? `${own400.description} ${GUARD_400}` : GUARD_400);
    const bearer: Record<string, readonly string[]> = { bearer: [] };
    const security: readonly Record<string, readonly string[]>[] = OPEN.has(input.url) ? [{}, bearer] : [bearer];
    const schema = { ...input.schema, response: { 500: INTERNAL_ERROR, ...response, 400: bad, ...GUARD_ANSWERS }, security };
    return jsonSchemaTransform({ ...input, schema });
  };

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'pos-agent local POS API',
        version: packageVersion(),
        description: DESCRIPTION,
        // As package.json says: a private package, no licence granted (the URL says what npm means by it).
        license: { name: 'UNLICENSED', url: 'https://docs.npmjs.com/cli/configuring-npm/package-json#license' },
      },
      tags: TAGS,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token in the file `api.tokenFile` names, when set.' } } },
    },
    transform: withGuardAnswers,
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      const doc = document.openapiObject;
      // The document is made on the first request, so the port is the one bound (port 0 in tests).
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : listen.port;
      for (const [path, ops] of Object.entries(doc.paths ?? {})) {
        for (const [method, op] of Object.entries((ops ?? {}) as Record<string, OperationObject>)) {
          if (op.requestBody && bodyOptional.has(`${method.toUpperCase()} ${path}`)) op.requestBody.required = false;
          const unauthorized = op.responses?.['401'];
          if (unauthorized) unauthorized.headers = { 'WWW-Authenticate': WWW_AUTHENTICATE };
        }
      }
      return { ...doc, servers: [{ url: `http://${formatHostPort({ host: listen.host, port })}`, description: 'This agent, at its `api.listen` address (loopback only).' }] };
    },
  });
  app.get(
    '/openapi.json',
    {
      schema: {
        operationId: 'getOpenApiDocument',
        tags: ['document'],
        summary: 'This document',
        description: 'The API\'s OpenAPI 3.1 document, generated from the schemas the routes validate with.',
        response: { 200: z.looseObject({ openapi: z.string() }).describe('An OpenAPI 3.1 document.') },
      },
    },
    async () => app.swagger(),
  );
}
