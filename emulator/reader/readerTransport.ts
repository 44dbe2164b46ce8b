/**
 * The emulator's side of a virtual serial line. The reader logic
 * ({@link ReaderEmulator}) runs unchanged over any transport: a socat
 * pseudo-terminal pair (`SocatTransport`) or serialport's MockBinding
 * (`MockTransport`, for in-process tests).
 */
export interface ReaderTransport {
  /** Makes the device appear (as plugging in a USB reader). Idempotent. */
  plug(): Promise<void>;
  /** Makes the device disappear: the agent's port closes with a disconnected error. Idempotent. */
  unplug(): Promise<void>;
  /** True between `plug` and `unplug`. */
  readonly plugged: boolean;
  /**
   * Sends bytes towards the agent. Resolves once they are handed to the line.
   * While unplugged the bytes are lost, as on a real cable.
   */
  write(bytes: Uint8Array): Promise<void>;
  /** Receives every chunk the agent writes. One listener. */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called when the device went away by itself (e.g. socat died). */
  onGone(listener: () => void): void;
  /** Unplugs and releases everything (processes, ports). */
  close(): Promise<void>;
}
