import { createServer, type Server, type Socket } from 'node:net';
import {
  DE39,
  Iso8583Error,
  LengthPrefixedFramer,
  decode,
  encode,
  frame,
  readRequest,
  responseTo,
  type Iso8583Message,
  type LoyaltyRequest,
} from '../../../protocol/iso8583/index.js';
import { handleIsoRequest, type IsoOutcome } from './isoHandler.js';
import type { IsoLedger } from './isoLedger.js';
import type { FaultEndpoint } from '../faultEndpoints.js';
import type { FaultTable } from '../faults.js';

/** pino-compatible logging used by the server (object first, fixed message). */
export interface IsoLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface IsoServerOptions {
  /** The host ledger, shared with the REST routes. */
  ledger: IsoLedger;
  /** Port on 127.0.0.1. Default 0 (a free port). */
  port?: number;
  /** Cancellable sleep for the `slow` card. Default: an internal one that {@link IsoServer.close} cancels. */
  delay?: (ms: number) => Promise<void>;
  /** Seconds the `slow` card waits. Default 15. */
  slowDelayS?: number;
  /** Largest frame accepted, bytes. Default 8192. */
  maxFrame?: number;
  /** A connection with no traffic this long is closed, ms. Default 60000. */
  idleTimeoutMs?: number;
  /** Most connections open at once; more are refused at accept. Default 256. */
  maxConnections?: number;
  /**
   * The host's fault table (`POST /_emulator/faults`), applied to the link under the REST names of the same
   * flows: `rewards` (0100), `rewards/redeem` (0200), `rewards/earn` (0220), `rewards/redeem/:transactionId/reversal`
   * (0420), `rewards/redeem/:transactionId/refund` (0200 DE3 20xx00), `rewards/earn/:transactionId/reversal`
   * (0420 of a 0220), or `*`. Latency waits; `status` answers DE39 96 without touching the ledger; `drop` closes the
   * connection unanswered; `commitThenDrop` commits, then closes. Default: none.
   */
  faults?: FaultTable;
  /** Logger. Default: none. */
  log?: IsoLog;
}

/** The REST endpoint name of an ISO flow, for the fault table. */
const ENDPOINT_OF: Readonly<Record<Exclude<LoyaltyRequest['kind'], 'echo'>, FaultEndpoint>> = {
  balance: 'rewards',
  burn: 'rewards/redeem',
  earn: 'rewards/earn',
  reversal: 'rewards/redeem/:transactionId/reversal',
  refund: 'rewards/redeem/:transactionId/refund',
  'earn-reversal': 'rewards/earn/:transactionId/reversal',
};

export interface IsoServer {
  port: number;
  /** Stops listening, closes every connection, ends pending delays. Idempotent. */
  close(): Promise<void>;
}

const REQUEST_MTIS: ReadonlySet<string> = new Set(['0100', '0200', '0220', '0221', '0420', '0421', '0800']);

/**
 * The host's ISO 8583 link (`pos-emulator host --iso-port N`): TCP on
 * 127.0.0.1, 2-byte big-endian length framing, the loyalty profile. Requests
 * on one connection are handled independently; answers are matched by STAN.
 *
 * Hostile input never crashes the server: a bad frame header or bytes that
 * are not an ISO 8583 message close that connection; a well-formed message
 * that is not a usable loyalty request gets DE39 30 (format error) when it
 * carries a request MTI and a STAN, else the connection is closed.
 */
export async function startIsoServer(opts: IsoServerOptions): Promise<IsoServer> {
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const delay =
    opts.delay ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
        timers.add(entry);
      }));
  const deps = { ledger: opts.ledger, delay, slowDelayS: opts.slowDelayS ?? 15 };
  const sockets = new Set<Socket>();
  const log = opts.log;

  /** Answers still being worked out, per connection: a refused connection closes only after them. */
  const inflight = new WeakMap<Socket, Set<Promise<void>>>();
  const refuse = (socket: Socket, err: unknown): void => {
    if (socket.isPaused() || socket.destroyed) return;
    const code = err instanceof Iso8583Error ? err.code : 'INTERNAL';
    log?.warn({ code, remotePort: socket.remotePort }, 'iso connection refused: bad input');
    socket.pause(); // read nothing more from it
    void Promise.allSettled([...(inflight.get(socket) ?? [])]).then(() => socket.end(() => socket.destroy()));
  };

  const onFrame = async (socket: Socket, payload: Buffer): Promise<void> => {
    let msg: Iso8583Message;
    try {
      msg = decode(payload);
    } catch (err) {
      refuse(socket, err);
      return;
    }
    let outcome: IsoOutcome;
    try {
      const req = readRequest(msg);
      const fault = req.kind === 'echo' ? undefined : opts.faults?.forEndpoint(ENDPOINT_OF[req.kind]);
      if (fault?.latencyMs) await delay(fault.latencyMs);
      if (fault?.drop) {
        socket.destroy();
        return;
      }
      if (fault?.status !== undefined) {
        outcome = { kind: 'answer', response: responseTo(msg, { responseCode: DE39.systemError }) };
      } else {
        outcome = await handleIsoRequest(deps, msg, req);
        if (fault?.commitThenDrop) outcome = { kind: 'drop' };
      }
    } catch (err) {
      const stan = msg.fields[11];
      if (!REQUEST_MTIS.has(msg.mti) || typeof stan !== 'string') return refuse(socket, err);
      log?.warn({ code: err instanceof Iso8583Error ? err.code : 'INTERNAL', field: err instanceof Iso8583Error ? err.field : undefined, mti: msg.mti, stan }, 'iso request refused: format error');
      outcome = { kind: 'answer', response: responseTo(msg, { responseCode: DE39.formatError }) };
    }
    if (socket.destroyed || socket.writableEnded) return;
    if (outcome.kind === 'drop') {
      log?.info({ mti: msg.mti, stan: msg.fields[11] }, 'iso commit-then-drop: closing without an answer');
      socket.destroy();
      return;
    }
    log?.info({ mti: outcome.response.mti, stan: outcome.response.fields[11], responseCode: outcome.response.fields[39] }, 'iso response');
    socket.write(frame(encode(outcome.response)));
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const pending = new Set<Promise<void>>();
    inflight.set(socket, pending);
    socket.setTimeout(opts.idleTimeoutMs ?? 60_000, () => {
      log?.info({ remotePort: socket.remotePort }, 'iso connection idle: closed');
      socket.destroy();
    });
    const framer = new LengthPrefixedFramer(opts.maxFrame === undefined ? {} : { maxLength: opts.maxFrame });
    socket.on('data', (chunk: Buffer) => {
      if (socket.isPaused()) return;
      let frames: Buffer[];
      try {
        frames = framer.push(chunk);
      } catch (err) {
        refuse(socket, err);
        return;
      }
      for (const f of frames) {
        if (socket.isPaused()) break; // refused: nothing after the bad frame is handled
        const p: Promise<void> = onFrame(socket, f)
          .catch((err: unknown) => refuse(socket, err))
          .finally(() => pending.delete(p));
        pending.add(p);
      }
      // Good frames, then junk in the same segment: the good ones are answered, then the connection closes.
      if (framer.failure) refuse(socket, framer.failure);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  server.maxConnections = opts.maxConnections ?? 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) {
          clearTimeout(t.timer);
          t.resolve();
        }
        timers.clear();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
