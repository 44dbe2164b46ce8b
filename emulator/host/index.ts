/** The loyalty host emulator: {@link startHost} runs it in-process (tests, benches, demo); main.ts is the CLI. */
export { startHost, type HostOptions, type RunningHost } from './startHost.js';
export { DEFAULT_FIXTURES, fixtureCard, type Fixtures, type CardFixture, type AccountFixture, type OfferFixture, type CardBehaviour } from './fixtures.js';
export { parseFixtures, FixturesError } from './fixturesFile.js';
export { FaultRequestSchema, applyFaultRequest, assertFaultEndpoint, type Fault, type FaultTable } from './faults.js';
export { FAULT_ENDPOINTS, isFaultEndpoint, type FaultEndpoint } from './faultEndpoints.js';
export type { HostTransport } from './hostTransport.js';
export {
  Ledger,
  LedgerError,
  ledgerView,
  REWARD_TRX_TTL_S,
  type LedgerView,
  type LedgerViewCard,
  type LedgerViewEntry,
  type Identity,
  type TerminalRef,
  type LedgerAccount,
  type BalanceOutcome,
  type BurnLine,
  type BurnOutcome,
  type EarnOutcome,
  type ReverseOutcome,
  type AdjustmentOutcome,
  type LedgerKind,
  type Mandate,
  type JournalEntry,
} from './ledger/index.js';
export { createAuthHook, authenticatedClient, signedUrl, DEFAULT_CLIENT, type AuthDeps, type ClientCredentials } from './auth/index.js';
export type { Clock } from './clock.js';
