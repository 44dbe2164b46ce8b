import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { plainJsonSerializer } from './plainJsonSerializer.js';
import type { AgentMetrics } from '../metrics/index.js';

/**
 * `GET /metrics` in Prometheus text format, and the count of every POS request
 * by route pattern and status. The scrape itself is not logged (a scraper
 * calls every few seconds); it is counted like any other request.
 */
export const metricsRoute: FastifyPluginCallback<{ metrics: AgentMetrics }> = (app, { metrics }, done) => {
  app.setSerializerCompiler(plainJsonSerializer);
  app.addHook('onResponse', async (req, reply) => {
    metrics.posRequest(req.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.get('/metrics', {
    logLevel: 'silent',
    schema: {
      operationId: 'getMetrics',
      tags: ['monitoring'],
      summary: 'Prometheus metrics',
      description: 'The agent\'s counters in Prometheus text format (`pos_agent_*`); no label holds a card number, a reference or a transactionId.',
      // Only the 200 is text: the errors (401, 421, ...) are the API's JSON error body, as on every route.
      response: { 200: { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: z.string().describe('Prometheus text exposition format.') } } } },
    },
  }, async (_req, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });
  done();
};
