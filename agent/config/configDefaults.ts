/** Defaults for the keys a config file may leave out (DESIGN.md, Config file). The schema applies them. */
export const CONFIG_DEFAULTS = {
  reader: { profile: 'framed', baudRate: 9600, keepAliveMs: 1000 },
  host: { transport: 'rest', timeoutMs: 10_000, connectTimeoutMs: 3_000 },
  queue: { maxAgeS: 7 * 24 * 3600, concurrency: 8, retainDoneS: 30 * 24 * 3600 },
  offline: { enabled: false, maxPointsPerTxn: 500, maxTotalPoints: 2000, maxCount: 10, maxAgeS: 24 * 3600, balanceMaxAgeS: 24 * 3600, unknownCards: 'refuse' as const },
  api: { listen: '127.0.0.1:7401', openRoutes: ['/v1/health', '/metrics'] },
  log: { level: 'info' },
} as const;
