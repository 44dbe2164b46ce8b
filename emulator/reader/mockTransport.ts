import { MockBinding, type MockPort, type SerialBinding, type SerialBindingPort, type SerialOpenOptions } from './serialTypes.js';
import type { ReaderTransport } from './readerTransport.js';

/** A port opened through {@link MockTransport.binding}; unplugging makes its read fail as a USB disconnect does. */
class UnpluggablePort implements SerialBindingPort {
  private unplugged: (err: Error) => void = () => {};
  private readonly gone: Promise<never>;

  constructor(
    readonly inner: MockPort,
    private readonly onWrite: (data: Buffer) => void,
  ) {
    this.gone = new Promise<never>((_, reject) => {
      this.unplugged = reject;
    });
    this.gone.catch(() => {});
  }

  get openOptions(): SerialBindingPort['openOptions'] {
    return this.inner.openOptions;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  set isOpen(v: boolean) {
    this.inner.isOpen = v;
  }

  /** Fails the pending read with a non-canceled error: serialport then closes with `disconnected`. */
  unplug(): void {
    this.unplugged(Object.assign(new Error('device unplugged'), { disconnect: true }));
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    return Promise.race([this.inner.read(buffer, offset, length), this.gone]);
  }
  async write(buffer: Buffer): Promise<void> {
    await Promise.race([this.inner.write(buffer), this.gone]);
    this.onWrite(Buffer.from(buffer));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  update(options: Parameters<SerialBindingPort['update']>[0]): Promise<void> {
    return this.inner.update(options);
  }
  set(options: Parameters<SerialBindingPort['set']>[0]): Promise<void> {
    return this.inner.set(options);
  }
  get(): ReturnType<SerialBindingPort['get']> {
    return this.inner.get();
  }
  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  drain(): Promise<void> {
    return this.inner.drain();
  }
}

/**
 * In-process transport over `@serialport/binding-mock`. Pass {@link binding}
 * to the agent's driver; the emulator writes into the port the driver opened
 * and sees what the driver writes. `unplug` fails the driver's read (the port
 * closes with `disconnected`) and makes `open` fail until `plug`.
 */
export class MockTransport implements ReaderTransport {
  readonly binding: SerialBinding;
  private port: UnpluggablePort | undefined;
  private listener: (chunk: Buffer) => void = () => {};
  private isPlugged = false;
  /** How many times the driver opened the port (successfully). */
  opens = 0;

  /** @param path the mock device path the driver opens, e.g. `/dev/ttyMOCK0`. */
  constructor(readonly path: string) {
    MockBinding.createPort(path, { echo: false, record: false });
    this.binding = {
      list: async () => (this.isPlugged ? (await MockBinding.list()).filter((p) => p.path === path) : []),
      open: async (options: SerialOpenOptions): Promise<SerialBindingPort> => {
        if (options.path !== path) return MockBinding.open(options);
        if (!this.isPlugged) throw Object.assign(new Error(`no such device: ${path}`), { code: 'ENOENT' });
        const inner = await MockBinding.open(options);
        const port = new UnpluggablePort(inner, (data) => {
          if (this.port === port) this.listener(data);
        });
        this.port = port;
        this.opens++;
        return port;
      },
    };
  }

  get plugged(): boolean {
    return this.isPlugged;
  }

  async plug(): Promise<void> {
    this.isPlugged = true;
  }

  async unplug(): Promise<void> {
    this.isPlugged = false;
    const port = this.port;
    this.port = undefined;
    port?.unplug();
  }

  async write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!this.isPlugged || !port || !port.inner.isOpen) return;
    port.inner.emitData(Buffer.from(bytes));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.listener = listener;
  }

  onGone(_listener: () => void): void {
    // A mock device never goes away by itself.
  }

  async close(): Promise<void> {
    await this.unplug();
  }
}
