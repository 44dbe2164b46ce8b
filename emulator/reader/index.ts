/** The reader emulator: a card reader over socat PTYs or serialport's MockBinding. */
export { ReaderEmulator, type ReaderEmulatorOptions, type ReaderEmulatorState, type ReaderProfile, type SwipeOptions, type SwipeOutcome, type SwipeResult } from './readerEmulator.js';
export type { ReaderTransport } from './readerTransport.js';
export { SocatTransport, type SocatTransportOptions } from './socatTransport.js';
export { MockTransport } from './mockTransport.js';
export { parseReaderCommand, COMMAND_HELP, type ReaderCommand } from './readerCommand.js';
export { runReaderCommand, type CommandReport } from './runReaderCommand.js';
export { ReaderEmulatorError, type ReaderEmulatorErrorCode } from './readerEmulatorError.js';
export type { SerialBinding } from './serialTypes.js';
