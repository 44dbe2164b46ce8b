import type { FastifyPluginCallback } from 'fastify';
import type { AgentMetrics } from '../metrics/index.js';

/**
 * `GET /metrics` in Prometheus text format, and the count of every POS request
 * by route pattern and status. The scrape itself is not logged (a scraper
 * calls every few seconds); it is counted like any other request.
 */
export const metricsRoute: FastifyPluginCallback<{ metrics: AgentMetrics }> = (app, { metrics }, done) => {
  app.addHook('onResponse', async (req, reply) => {
    metrics.posRequest(req.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.get('/metrics', { logLevel: 'silent' }, async (_req, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });
  done();
};
