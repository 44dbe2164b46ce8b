/** The loyalty host emulator: {@link startHost} runs it in-process (tests, benches, demo); main.ts is the CLI. */
export { startHost, type HostOptions, type RunningHost } from './startHost.js';
export { DEFAULT_FIXTURES, fixtureCard, type Fixtures } from './fixtures.js';
export { Ledger } from './ledger.js';
export { LedgerError } from './ledgerError.js';
export { createAuthHook, authenticatedClient, signedUrl, type AuthDeps } from './auth.js';
export { DEFAULT_CLIENT } from './tokenStore.js';
export type { ClientCredentials } from './tokenStore.js';
export type { Clock } from './clock.js';
export * from './ledgerTypes.js';
