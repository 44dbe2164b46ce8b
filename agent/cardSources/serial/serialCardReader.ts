import type { Logger } from 'pino';
import { maskPan } from '../../../protocol/index.js';
import type { ReaderStatus } from '../../../protocol/reader/index.js';
import type { ReaderProfile } from '../../../protocol/reader/index.js';
import type { CardRead, ReadCardOptions } from '../cardSource.js';
import type { CardReader } from './cardReader.js';
import { cardFromTracks } from '../cardFromTracks.js';
import { FrameSender } from './frameSender.js';
import { profileStrategy } from './profileStrategies.js';
import type { InputDecoder } from './inputDecoder.js';
import type { ProfileStrategy } from './profileStrategy.js';
import { ReaderError } from '../readerError.js';
import type { ReaderLine } from './readerLine.js';
import { ReaderSupervisor } from './readerSupervisor.js';
import { zeroLineCounters, type LineCounters, type SerialReaderCounters } from './serialReaderCounters.js';
import type { SerialBinding } from './serialTypes.js';

export interface SerialCardReaderOptions {
  /** Serial device, e.g. /dev/ttyUSB0. */
  path: string;
  /** Wire profile. Default `framed`. */
  profile?: ReaderProfile;
  /** Default 9600. */
  baudRate?: number;
  /** pino logger; the driver logs through `child({ component: 'reader' })`. Card data is never logged unmasked. */
  logger?: Logger;
  /** serialport binding (MockBinding in tests). Default the real binding. */
  binding?: SerialBinding;
  /** Keep-alive (I frame) period, framed profile; 3 missed answers drop the connection. Default 1000 ms; 0 disables. */
  keepAliveMs?: number;
  /** Inter-byte gap after which a partial frame or line is reported as truncated. Default 100 ms. */
  interByteGapMs?: number;
  /** Silence after which the driver resends its own frame (arm, disarm, status). Default 300 ms. */
  ackTimeoutMs?: number;
  /** First reopen delay. Default 100 ms. */
  backoffMinMs?: number;
  /** Longest reopen delay. Default 5000 ms. */
  backoffMaxMs?: number;
  /** How often the supervisor checks the device path still exists (see ReaderSupervisor). Default 1000 ms; 0 disables. */
  watchMs?: number;
}

interface PendingRead {
  resolve(card: CardRead): void;
  reject(err: ReaderError): void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  onCardFrame: ((startedAt: number) => void) | undefined;
}

const MISSED_LIMIT = 3;

/**
 * The terminal's card reader driver (framed or MagTek profile) over serialport.
 * Frames are decoded as bytes arrive: a card is delivered as soon as its last
 * byte is in, with no timer on that path. A 100 ms inter-byte gap flushes a
 * partial frame (counted as truncated, NAKed). Good frames are ACKed, bad
 * ones NAKed; resends of a delivered card are dropped. See {@link ReaderSupervisor}
 * for unplug handling.
 */
export class SerialCardReader implements CardReader {
  private readonly strategy: ProfileStrategy;
  private readonly log: Logger | undefined;
  private readonly supervisor: ReaderSupervisor;
  private readonly sender: FrameSender;
  private readonly gapMs: number;
  private readonly keepAliveMs: number;
  private readonly line: ReaderLine;
  private input: InputDecoder;
  private gapTimer: NodeJS.Timeout | undefined;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private missed = 0;
  private heard = false;
  private pending: PendingRead | undefined;
  /** The disarm a finished read scheduled, not sent yet. */
  private disarmLater: NodeJS.Immediate | undefined;
  private lastCard: string | undefined;
  /** When the chunk that began the frame being decoded came in (performance.now()). */
  private frameStartedAt = 0;
  private closed = false;
  private readonly c: LineCounters = zeroLineCounters();
  private readonly stateListeners = new Set<(state: 'connected' | 'disconnected') => void>();
  /** Last status the reader reported in an I frame. */
  readerStatus: ReaderStatus | undefined;

  constructor(opts: SerialCardReaderOptions) {
    this.strategy = profileStrategy(opts.profile ?? 'framed');
    this.log = opts.logger?.child({ component: 'reader' });
    this.gapMs = opts.interByteGapMs ?? 100;
    // a reader that takes no commands cannot be asked anything, so it gets no keep-alive
    this.keepAliveMs = this.strategy.commands ? (opts.keepAliveMs ?? 1000) : 0;
    this.sender = new FrameSender((b) => this.supervisor.write(b), opts.ackTimeoutMs ?? 300);
    this.supervisor = new ReaderSupervisor(
      { path: opts.path, baudRate: opts.baudRate ?? 9600, binding: opts.binding, backoffMinMs: opts.backoffMinMs, backoffMaxMs: opts.backoffMaxMs, watchMs: opts.watchMs, log: this.log },
      { onData: (chunk) => this.onData(chunk), onConnected: () => this.onConnected(), onDisconnected: () => this.onDisconnected() },
    );
    this.line = {
      counters: this.c,
      log: this.log,
      write: (bytes) => this.supervisor.write(bytes),
      heard: () => {
        this.heard = true;
      },
      ack: () => this.sender.onAck(),
      nak: () => this.sender.onNak(),
      card: (text, key) => this.onCard(text, key),
      status: (status) => {
        this.readerStatus = status;
      },
      readError: () => this.onReadError(),
    };
    this.input = this.strategy.decoder(this.line);
  }

  /** Opens the port (first attempt; the supervisor keeps trying if it fails). */
  async start(): Promise<void> {
    await this.supervisor.start();
  }

  get state(): 'connected' | 'disconnected' {
    return this.supervisor.connected ? 'connected' : 'disconnected';
  }

  counters(): SerialReaderCounters {
    return { ...this.c, reconnects: this.supervisor.reconnects };
  }

  /** Calls `listener` on every connect and disconnect. Returns an unsubscribe function. */
  onStateChange(listener: (state: 'connected' | 'disconnected') => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  readCard(opts: ReadCardOptions): Promise<CardRead> {
    if (this.closed) return Promise.reject(new ReaderError('READER_ERR_DISCONNECTED', 'the card reader driver is closed'));
    if (this.pending) return Promise.reject(new ReaderError('READER_ERR_BUSY', 'a card read is already in progress; wait for it or abort it'));
    if (opts.signal?.aborted) return Promise.reject(new ReaderError('READER_ERR_ABORTED', 'card read aborted before it started'));
    return new Promise<CardRead>((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = this.supervisor.connected
          ? new ReaderError('READER_ERR_TIMEOUT', `no card swiped within ${opts.timeoutMs} ms`)
          : new ReaderError('READER_ERR_DISCONNECTED', `the card reader is disconnected (no card within ${opts.timeoutMs} ms)`);
        this.finish(p, err);
      }, opts.timeoutMs);
      const onAbort = () => this.finish(p, new ReaderError('READER_ERR_ABORTED', 'card read aborted'));
      const p: PendingRead = { resolve, reject, timer, signal: opts.signal, onAbort, onCardFrame: opts.onCardFrame };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = p;
      this.lastCard = undefined;
      // A disarm still waiting from the last read would land after this arm and leave the reader
      // disarmed for the whole wait ("no card" though the cashier swiped): this read needs it armed.
      if (this.disarmLater) clearImmediate(this.disarmLater);
      this.disarmLater = undefined;
      this.arm();
      opts.onArmed?.();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pending) this.finish(this.pending, new ReaderError('READER_ERR_DISCONNECTED', 'the card reader driver was closed'));
    if (this.disarmLater) clearImmediate(this.disarmLater);
    this.stopTimers();
    this.sender.reset();
    await this.supervisor.close();
  }

  private arm(): void {
    const commands = this.strategy.commands;
    if (!commands || !this.supervisor.connected) return;
    void this.sender.send(commands.arm).then((r) => {
      if (r === 'failed') this.log?.warn({}, 'reader did not acknowledge arm');
    });
  }

  private finish(p: PendingRead, result: CardRead | ReaderError): void {
    if (this.pending !== p) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    p.signal?.removeEventListener('abort', p.onAbort);
    // disarm after the caller has its result, off the card path (unless the next read starts first)
    const commands = this.strategy.commands;
    if (commands) {
      this.disarmLater = setImmediate(() => {
        this.disarmLater = undefined;
        if (this.supervisor.connected && !this.closed) void this.sender.send(commands.disarm);
      });
    }
    if (result instanceof ReaderError) p.reject(result);
    else p.resolve(result);
  }

  private onConnected(): void {
    this.input = this.strategy.decoder(this.line);
    this.missed = 0;
    this.heard = false;
    if (this.pending) this.arm();
    const commands = this.strategy.commands;
    if (commands) {
      void this.sender.send(commands.status);
      if (this.keepAliveMs > 0) this.keepAliveTimer = setInterval(() => this.keepAlive(commands.status), this.keepAliveMs);
    }
    for (const l of this.stateListeners) l('connected');
  }

  private onDisconnected(): void {
    this.stopTimers();
    this.sender.reset();
    for (const l of this.stateListeners) l('disconnected');
  }

  /** Each tick without a frame or ACK from the reader since the last one is a miss; 3 in a row drop the line. */
  private keepAlive(status: Uint8Array): void {
    this.missed = this.heard ? 0 : this.missed + 1;
    this.heard = false;
    if (this.missed >= MISSED_LIMIT) {
      this.c.keepAliveLosses++;
      this.supervisor.drop(`${MISSED_LIMIT} keep-alives unanswered`);
      return;
    }
    if (!this.sender.busy) void this.sender.send(status);
  }

  private stopTimers(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.gapTimer = undefined;
    this.keepAliveTimer = undefined;
  }

  private onData(chunk: Buffer): void {
    if (!this.input.pending) this.frameStartedAt = performance.now();
    this.input.push(chunk);
    // The gap timer only runs while something partial is held: never on the card path.
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = this.input.pending ? setTimeout(() => this.onGap(), this.gapMs) : undefined;
  }

  private onGap(): void {
    this.gapTimer = undefined;
    this.input.flush();
  }

  private onCard(text: string, key: string | undefined): void {
    // A resend of the card already delivered (our ACK was lost) is dropped.
    if (key !== undefined && key === this.lastCard) {
      this.c.duplicates++;
      return;
    }
    const p = this.pending;
    if (!p) {
      this.c.ignoredCards++;
      this.log?.info({}, 'card swiped with no read pending; ignored');
      return;
    }
    this.lastCard = key;
    const result = cardFromTracks(text);
    if (result instanceof ReaderError) {
      this.c.invalidCards++;
      this.log?.warn({ reason: result.reason }, 'invalid card at the reader');
    } else {
      this.c.cardsRead++;
      this.log?.info({ card: maskPan(result.pan) }, 'card read');
      p.onCardFrame?.(this.frameStartedAt);
    }
    this.finish(p, result);
  }

  private onReadError(): void {
    this.c.readErrors++;
    this.log?.info({}, 'reader reported a bad swipe; still waiting');
  }
}
