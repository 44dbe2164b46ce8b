/** The loyalty host emulator: {@link startHost} runs it in-process (tests, benches, demo); main.ts is the CLI. */
export { startHost, type HostOptions, type RunningHost } from './startHost.js';
export { DEFAULT_FIXTURES, fixtureCard, type Fixtures, type CardFixture, type AccountFixture, type OfferFixture, type CardBehaviour } from './fixtures.js';
export { parseFixtures, FixturesError } from './fixturesFile.js';
export { FaultRequestSchema, applyFaultRequest, type Fault, type FaultTable } from './faults.js';
export { ledgerView, type LedgerView, type LedgerViewCard, type LedgerViewEntry } from './ledgerView.js';
export { Ledger } from './ledger.js';
export { LedgerError } from './ledgerError.js';
export { createAuthHook, authenticatedClient, signedUrl, type AuthDeps } from './auth.js';
export { DEFAULT_CLIENT } from './tokenStore.js';
export type { ClientCredentials } from './tokenStore.js';
export type { Clock } from './clock.js';
export * from './ledgerTypes.js';
