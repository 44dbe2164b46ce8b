import { maskPan, type MaskedPan } from '../../protocol/index.js';
import { ACK, ARM, DISARM, NAK, statusCode, type ReaderStatus } from '../../protocol/reader/index.js';
import { encodeFrame } from '../../protocol/reader/index.js';
import { FrameDecoder, type DecoderEvent } from '../../protocol/reader/index.js';
import { buildTrack1, buildTrack2 } from '../../protocol/reader/index.js';
import type { ReaderProfile } from '../../protocol/reader/index.js';
import { DEFAULT_FIXTURES, fixtureCard, type Fixtures } from '../host/index.js';
import { ReaderEmulatorError } from './readerEmulatorError.js';
import type { ReaderTransport } from './readerTransport.js';
import { LineWriter } from './lineWriter.js';
import { AckedSender } from './ackedSender.js';

export type { ReaderProfile };

/** Options of {@link ReaderEmulator}: the line it sits on, its profile and timing. */
export interface ReaderEmulatorOptions {
  transport: ReaderTransport;
  /** Wire profile. Default `framed`. */
  profile?: ReaderProfile;
  /** Line rate used by `pace`. Default 9600. */
  baudRate?: number;
  /** Send bytes at the line rate (9600 8N1 ≈ 1.04 ms a byte). Default false: as fast as the transport takes them. */
  pace?: boolean;
  /** How long to wait for ACK before resending (framed). Default 300 ms. */
  ackTimeoutMs?: number;
  /** Inter-byte gap after which a partial frame from the agent is dropped. Default 100 ms. */
  gapMs?: number;
  /** Cards for `swipeCard`. Default DEFAULT_FIXTURES. */
  fixtures?: Fixtures;
}

/** How a swipe is made (track 1, service code) and, for tests, how it goes wrong (bad LRC, truncated). */
export interface SwipeOptions {
  /** Cardholder name for track 1. Default `CARDHOLDER/TEST`. */
  name?: string;
  /** Include track 1 in the card data. Default true. */
  track1?: boolean;
  /** Service code. Default `101`. */
  serviceCode?: string;
  /** Corrupt the LRC of the first attempt (framed only). */
  badLrc?: boolean;
  /** Send only the first part of the first attempt, then go quiet. */
  truncate?: boolean;
}

/**
 * - `acked`: the agent acknowledged the card frame (framed)
 * - `sent`: written to the line (magtek has no ACK)
 * - `ignored`: the reader was disarmed (framed), nothing was sent
 * - `failed`: no ACK after the first attempt and 3 resends
 * - `unplugged`: the device is unplugged
 */
export type SwipeOutcome = 'acked' | 'sent' | 'ignored' | 'failed' | 'unplugged';

/** What became of a swipe: its outcome, the PAN masked, and the frames and NAKs it took. */
export interface SwipeResult {
  outcome: SwipeOutcome;
  pan: MaskedPan;
  /** Frames written, first attempt included. */
  attempts: number;
  naks: number;
}

/** The reader emulator as a test sees it: plugged, armed, its status and counters. */
export interface ReaderEmulatorState {
  profile: ReaderProfile;
  plugged: boolean;
  armed: boolean;
  status: ReaderStatus;
  /** Arm frames received since start: lets a driver of the emulator tell a fresh arm from a stale one. */
  arms: number;
  /** Keep-alives (I frames) answered. */
  keepAlives: number;
  /** NAKs received from the agent. */
  naksReceived: number;
  /** Bad frames from the agent that were NAKed. */
  naksSent: number;
}


/**
 * A card reader, independent of the line it sits on. Framed profile: answers
 * I keep-alives with its status, honours arm/disarm (a swipe while disarmed is
 * ignored), and waits for ACK, resending up to 3 times on NAK or silence.
 * MagTek profile: writes one ASCII line per swipe and ignores its input.
 */
export class ReaderEmulator {
  readonly profile: ReaderProfile;
  private readonly transport: ReaderTransport;
  private readonly writer: LineWriter;
  private readonly decoder = new FrameDecoder();
  private readonly ackTimeoutMs: number;
  private readonly gapMs: number;
  private readonly fixtures: Fixtures;
  private armed = false;
  private status: ReaderStatus = 'idle';
  private keepAlives = 0;
  private arms = 0;
  private naksReceived = 0;
  private naksSent = 0;
  private readonly sender: AckedSender;
  private gapTimer: NodeJS.Timeout | undefined;
  private armWaiters: (() => void)[] = [];
  private disarmWaiters: (() => void)[] = [];

  constructor(opts: ReaderEmulatorOptions) {
    this.transport = opts.transport;
    this.profile = opts.profile ?? 'framed';
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 300;
    this.gapMs = opts.gapMs ?? 100;
    this.fixtures = opts.fixtures ?? DEFAULT_FIXTURES;
    this.writer = new LineWriter(this.transport, opts.pace ? (opts.baudRate ?? 9600) : 0);
    this.sender = new AckedSender(this.writer, this.ackTimeoutMs);
    this.transport.onData((chunk) => this.onData(chunk));
    this.transport.onGone(() => this.resetDevice());
  }

  /** Plugs the device in (starts socat, or lets the mock port open). */
  async start(): Promise<void> {
    await this.transport.plug();
  }

  get state(): ReaderEmulatorState {
    return {
      profile: this.profile,
      plugged: this.transport.plugged,
      armed: this.armed,
      status: this.status,
      arms: this.arms,
      keepAlives: this.keepAlives,
      naksReceived: this.naksReceived,
      naksSent: this.naksSent,
    };
  }

  /** Time (performance.now()) the last byte of the last card write was handed to the line. */
  get lastCardSentAt(): number {
    return this.writer.lastCardAt;
  }

  /** Resolves once the agent has armed the reader (at once if it is armed). */
  whenArmed(): Promise<void> {
    if (this.armed) return Promise.resolve();
    return new Promise<void>((resolve) => this.armWaiters.push(resolve));
  }

  /** Resolves once the agent has disarmed the reader (at once if it is disarmed). */
  whenDisarmed(): Promise<void> {
    if (!this.armed) return Promise.resolve();
    return new Promise<void>((resolve) => this.disarmWaiters.push(resolve));
  }

  /** Sends a ready-made frame and waits for its ACK, with the usual resends (framed; for tests). */
  sendFrame(frame: Buffer): Promise<{ outcome: SwipeOutcome; attempts: number; naks: number }> {
    return this.sender.send(frame);
  }

  /** Resolves when no frame is waiting for its ACK (resends included). */
  async whenIdle(): Promise<void> {
    await this.sender.whenIdle();
  }

  /** Writes raw bytes to the line (for tests that need a hand-made fault). */
  async raw(bytes: Uint8Array): Promise<void> {
    await this.writer.write(bytes);
  }

  /** Swipes a card. PAN and expiry are not validated, so bad cards can be made on purpose. */
  swipe(pan: string, expiry: string, opts: SwipeOptions = {}): Promise<SwipeResult> {
    const masked = maskPan(pan);
    if (!this.transport.plugged) return Promise.resolve({ outcome: 'unplugged', pan: masked, attempts: 0, naks: 0 });
    const fields = { pan, expiry, name: opts.name, serviceCode: opts.serviceCode };
    const tracks = (opts.track1 === false ? '' : buildTrack1(fields)) + buildTrack2(fields);
    if (this.profile === 'magtek') return this.swipeMagtek(tracks, masked, opts);
    if (!this.armed) return Promise.resolve({ outcome: 'ignored', pan: masked, attempts: 0, naks: 0 });
    this.status = 'card';
    return this.sender.send(encodeFrame('C', tracks), opts, true).then((r) => ({ ...r, pan: masked }));
  }

  /** Swipes a fixture card by name (`happy`, `expired`, ...). */
  swipeCard(name: string, opts: SwipeOptions = {}): Promise<SwipeResult> {
    const card = fixtureCard(this.fixtures, name);
    if (!card) {
      const names = this.fixtures.cards.map((c) => c.name).join(', ');
      return Promise.reject(new ReaderEmulatorError('EMU_READER_ERR_UNKNOWN_CARD', `no fixture card named "${name}" (known: ${names})`));
    }
    return this.swipe(card.pan, card.expiry, { name: card.holder, ...opts });
  }

  /** Swipes `card` with a corrupt LRC on the first attempt: the agent NAKs and the resend gets through. */
  badLrc(card = 'happy'): Promise<SwipeResult> {
    if (this.profile !== 'framed') {
      return Promise.reject(new ReaderEmulatorError('EMU_READER_ERR_PROFILE', 'bad-lrc needs the framed profile (magtek has no LRC)'));
    }
    return this.swipeCard(card, { badLrc: true });
  }

  /** Swipes `card` with the first attempt cut short; framed: the agent's 100 ms gap NAKs it and the resend gets through. */
  truncate(card = 'happy'): Promise<SwipeResult> {
    return this.swipeCard(card, { truncate: true });
  }

  /** Writes `n` random bytes that never include STX, ACK, NAK, CR or LF (so they cannot fake structure). */
  async noise(n: number): Promise<number> {
    if (!this.transport.plugged) return 0;
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let b = Math.floor(Math.random() * 256);
      while (b === 0x02 || b === 0x06 || b === 0x15 || b === 0x0d || b === 0x0a || b === 0x25 || b === 0x3b) b = (b + 7) & 0xff;
      bytes[i] = b;
    }
    await this.writer.write(bytes);
    return n;
  }

  /** Pulls the device: the agent's port closes, the path disappears. */
  async unplug(): Promise<void> {
    this.resetDevice();
    await this.transport.unplug();
  }

  /** Plugs it back in; the reader comes back disarmed and idle. */
  async replug(): Promise<void> {
    this.resetDevice();
    await this.transport.plug();
  }

  async close(): Promise<void> {
    this.resetDevice();
    await this.transport.close();
  }

  private resetDevice(): void {
    this.armed = false;
    this.status = 'idle';
    this.decoder.flush();
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.sender.cancel();
  }

  private async swipeMagtek(tracks: string, pan: MaskedPan, opts: SwipeOptions): Promise<SwipeResult> {
    const line = Buffer.from(tracks + '\r', 'latin1');
    await this.writer.write(opts.truncate ? line.subarray(0, Math.floor(line.length / 2)) : line, true);
    return { outcome: 'sent', pan, attempts: 1, naks: 0 };
  }

  private onData(chunk: Buffer): void {
    if (this.profile !== 'framed') return; // a MagTek reader has no input
    for (const ev of this.decoder.push(chunk)) this.onEvent(ev);
    if (this.decoder.pending) {
      if (this.gapTimer) this.gapTimer.refresh();
      else this.gapTimer = setTimeout(() => this.onGap(), this.gapMs);
    }
  }

  private onGap(): void {
    this.gapTimer = undefined;
    for (const ev of this.decoder.flush()) this.onEvent(ev);
  }

  private onEvent(ev: DecoderEvent): void {
    switch (ev.kind) {
      case 'ack':
        this.sender.onAck();
        return;
      case 'nak':
        this.naksReceived++;
        this.sender.onNak();
        return;
      case 'noise':
        return;
      case 'frame':
        void this.writer.write(Uint8Array.of(ACK));
        this.onFrame(ev.type, ev.payload.toString('latin1'));
        return;
      default:
        // bad-lrc, oversize, missing-etx, truncated: ask for a resend
        this.naksSent++;
        void this.writer.write(Uint8Array.of(NAK));
    }
  }

  private onFrame(type: string, payload: string): void {
    if (type === 'P') {
      if (payload === ARM) {
        this.arms++;
        this.armed = true;
        this.status = 'armed';
        const waiters = this.armWaiters;
        this.armWaiters = [];
        for (const w of waiters) w();
      } else if (payload === DISARM) {
        this.armed = false;
        this.status = 'idle';
        const waiters = this.disarmWaiters;
        this.disarmWaiters = [];
        for (const w of waiters) w();
      }
    } else if (type === 'I') {
      this.keepAlives++;
      const answer = encodeFrame('I', statusCode(this.status));
      void this.sender.send(answer);
    }
  }
}
