import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { packageVersion } from '../packageInfo.js';
import { OPENABLE_ROUTES } from '../config/index.js';
import { ApiErrorBodySchema } from './responseSchemas.js';

const DESCRIPTION = [
  'The pos-agent\'s local POS API: what a cashier app calls to redeem, earn, check out and read balances with the card the customer swipes.',
  '',
  '- Loopback only. Bodies are JSON objects of at most 16 KiB (bigger: 413); amounts are whole numbers in minor units, points whole points, each 1 to 1000000000.',
  '- `timeoutMs` (100 to 600000) bounds a card operation: the wait for the swipe and the host calls.',
  '- `reference` is the idempotency key of a card operation: see each route. It is printable ASCII, 1 to 64 characters, never card-number shaped.',
  '- Every error has one body shape (`ApiError`); its `code` is stable.',
  '- When the agent is configured with `api.tokenFile`, every route needs `Authorization: Bearer <token>` (else 401); `/v1/health` and `/metrics` only when `api.openRoutes` closes them.',
  '- A `Host` header other than the listen address or `localhost` is refused with 421 on every route, token or not (DNS rebinding).',
].join('\n');

/** The answers of the guards in front of every route (hostCheck.ts, bearerAuth.ts). */
const GUARD_ANSWERS = {
  401: ApiErrorBodySchema.describe('`token-required` (no bearer token) or `token-invalid`: when `api.tokenFile` is set (for `/v1/health` and `/metrics`, only when `api.openRoutes` closes them).'),
  421: ApiErrorBodySchema.describe('`host-not-allowed`: the Host header is not the listen address or `localhost`.'),
};

/** The routes `api.openRoutes` may leave open: the token is optional there (`{}`), required everywhere else. */
const OPEN: ReadonlySet<string> = new Set(OPENABLE_ROUTES);

/**
 * Every route's documented answers gain the guards' (401, 421), which run before any route, and its security
 * requirement: the bearer token (optional on the routes `api.openRoutes` may leave open).
 */
const withGuardAnswers: typeof jsonSchemaTransform = (input) => {
  const response = (input.schema as { response?: Record<string, unknown> } | undefined)?.response;
  const bearer: Record<string, readonly string[]> = { bearer: [] };
  const security: readonly Record<string, readonly string[]>[] = OPEN.has(input.url) ? [{}, bearer] : [bearer];
  const schema = input.schema === undefined ? input.schema : { ...input.schema, response: { ...response, ...GUARD_ANSWERS }, security };
  return jsonSchemaTransform({ ...input, schema });
};

/**
 * Collects every route registered after it into an OpenAPI 3.1 document, from
 * the routes' own zod schemas (request and response), served at
 * `GET /openapi.json`. Register it before the routes, at the app's root
 * (it sees routes through fastify's onRoute hook).
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'pos-agent local POS API', version: packageVersion(), description: DESCRIPTION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token in the file `api.tokenFile` names, when set.' } } },
    },
    transform: withGuardAnswers,
  });
  app.get(
    '/openapi.json',
    {
      schema: {
        summary: 'This document',
        description: 'The API\'s OpenAPI 3.1 document, generated from the schemas the routes validate with.',
        response: { 200: z.looseObject({ openapi: z.string() }).describe('An OpenAPI 3.1 document.') },
      },
    },
    async () => app.swagger(),
  );
}
