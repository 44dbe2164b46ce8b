import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { packageVersion } from '../packageInfo.js';

const DESCRIPTION = [
  'The pos-agent\'s local POS API: what a cashier app calls to redeem, earn, check out and read balances with the card the customer swipes.',
  '',
  '- Loopback only. Bodies are JSON objects of at most 16 KiB (bigger: 413); amounts are whole numbers in minor units, points whole points, each 1 to 1000000000.',
  '- `timeoutMs` (100 to 600000) bounds a card operation: the wait for the swipe and the host calls.',
  '- `reference` is the idempotency key of a card operation: see each route. It is printable ASCII, 1 to 64 characters, never card-number shaped.',
  '- Every error has one body shape (`ApiError`); its `code` is stable.',
  '- When the agent is configured with `api.tokenFile`, every route needs `Authorization: Bearer <token>`.',
].join('\n');

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
    transform: jsonSchemaTransform,
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
