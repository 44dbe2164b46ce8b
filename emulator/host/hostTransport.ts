import type { HostConfig } from '../../agent/config/index.js';

/** How the agent reaches the host: the Loyalty REST API (`rest`) or the ISO 8583 link (`iso8583`); the agent's `host.transport`. */
export type HostTransport = HostConfig['transport'];
