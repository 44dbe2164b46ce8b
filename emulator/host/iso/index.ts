/** The host emulator's ISO 8583 link (loyalty profile over 2-byte length-framed TCP). */
export { startIsoServer, type IsoLog, type IsoServer, type IsoServerOptions } from './isoServer.js';
export { de39For, type IsoLedger } from './isoLedger.js';
export { handleIsoRequest, type IsoHandlerDeps, type IsoOutcome } from './isoHandler.js';
