/**
 * `pos-agent/emulator`: the emulator as a test library, for other projects' test suites.
 *
 * - {@link startCounter}: a whole emulated counter (host, card reader, agent) in one call;
 * - {@link startHost}: the loyalty host emulator alone (REST, Pay with Points, ISO 8583), with its
 *   fixtures, faults and ledger;
 * - {@link ReaderEmulator}: the card reader alone, on a socat pseudo-terminal ({@link SocatTransport}) or on
 *   `@serialport/binding-mock` ({@link MockTransport}, no socat needed).
 *
 * Nothing else of the package is reachable; `pos-agent/protocol` holds the pure codecs.
 * @packageDocumentation
 */
export {
  startCounter,
  CounterError,
  counterFixtures,
  type Counter,
  type CounterHost,
  type CounterReader,
  type CounterQueue,
  type CounterFault,
  type CounterSwipeOptions,
  type SwipeCard,
  type CounterOptions,
  type CounterCard,
  type CounterOffer,
  type CounterOfflineLimits,
  type CounterErrorCode,
} from './counter/index.js';
export {
  startHost,
  DEFAULT_FIXTURES,
  DEFAULT_CLIENT,
  fixtureCard,
  parseFixtures,
  FixturesError,
  ledgerView,
  FAULT_ENDPOINTS,
  type HostOptions,
  type RunningHost,
  type Fixtures,
  type CardFixture,
  type AccountFixture,
  type OfferFixture,
  type CardBehaviour,
  type Fault,
  type FaultEndpoint,
  type HostTransport,
  type LedgerView,
  type LedgerViewCard,
  type LedgerViewEntry,
  type JournalEntry,
  type LedgerKind,
  type ClientCredentials,
} from './host/index.js';
export {
  ReaderEmulator,
  ReaderEmulatorError,
  MockTransport,
  SocatTransport,
  type ReaderEmulatorOptions,
  type ReaderEmulatorState,
  type ReaderEmulatorErrorCode,
  type ReaderProfile,
  type ReaderTransport,
  type SocatTransportOptions,
  type SwipeOptions,
  type SwipeOutcome,
  type SwipeResult,
  type SerialBinding,
} from './reader/index.js';
