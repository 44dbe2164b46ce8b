import type { Logger } from 'pino';
import type { AgentConfig } from '../config/index.js';
import type { HostClient } from './hostClient.js';
import { IsoHostClient } from './isoHostClient.js';
import { RestHostClient } from './restHostClient.js';

/** The host client `host.transport` asks for. */
export function createHostClient(config: AgentConfig, logger: Logger): HostClient {
  const log = logger.child({ component: 'host' });
  switch (config.host.transport) {
    case 'rest':
      return RestHostClient.fromConfig(config.host, config.terminal, log);
    case 'iso8583':
      return IsoHostClient.fromConfig(config.host, config.terminal, log);
  }
}
