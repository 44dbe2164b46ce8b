/** The agent's local POS API (fastify on loopback) and what it reads. */
export { startApi, type ApiOptions, type AgentControl, type Health } from './apiServer.js';
export { agentHealth, type HealthSources } from './agentHealth.js';
export { queueItemView, type QueueItemView } from './queueItemView.js';
