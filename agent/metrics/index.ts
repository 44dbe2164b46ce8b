/** The agent's Prometheus metrics (prom-client): the registry, and the host client that feeds its latency histogram. */
export { AgentMetrics, type MetricSources, type BuildInfo, type HostOutcomeLabel } from './agentMetrics.js';
export { instrumentHost } from './instrumentHost.js';
