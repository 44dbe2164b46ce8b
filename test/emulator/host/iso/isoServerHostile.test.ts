import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../../emulator/host/index.js';
import { startIsoServer, type IsoLog, type IsoServer } from '../../../../emulator/host/iso/index.js';
import { echoRequest, encode, frame } from '../../../../protocol/iso8583/index.js';
import { RawIsoConnection } from './rawIsoConnection.js';

const PAN = '6280000000000016';
const NOW = new Date(Date.UTC(2026, 10, 22, 0, 15, 30));

let host: RunningHost;
let iso: IsoServer;
const logged: { obj: object; msg: string }[] = [];
const log: IsoLog = { info: (obj, msg) => void logged.push({ obj, msg }), warn: (obj, msg) => void logged.push({ obj, msg }) };
const open: RawIsoConnection[] = [];

async function connection(): Promise<RawIsoConnection> {
  const c = await RawIsoConnection.open(iso.port);
  open.push(c);
  return c;
}

/** The server is still up and answering on a fresh connection. */
async function stillServing(): Promise<void> {
  const c = await connection();
  const res = await c.request(echoRequest({ stan: '1', now: NOW }));
  expect(res?.fields[39]).toBe('00');
}

beforeEach(async () => {
  host = await startHost();
  logged.length = 0;
  iso = await startIsoServer({ ledger: host.ledger, log, maxFrame: 2048 });
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await iso.close();
  await host.close();
});

describe('ISO 8583 host link: hostile bytes', () => {
  it('answers a good message followed by junk in the same segment, then closes on the junk', async () => {
    const c = await connection();
    c.sendRaw(Buffer.concat([frame(encode(echoRequest({ stan: '77', now: NOW }))), Buffer.from([0xff, 0xff, 0x30])]));
    const res = await c.receive();
    expect(res?.mti).toBe('0810');
    expect(res?.fields[11]).toBe('000077');
    await c.closedByPeer();
    expect(logged.some((l) => (l.obj as { code?: string }).code === 'ISO_ERR_FRAME_OVERSIZE')).toBe(true);
    await stillServing();
  });

  it('answers a good message followed by a frame that is not ISO 8583, then closes', async () => {
    const c = await connection();
    c.sendRaw(Buffer.concat([frame(encode(echoRequest({ stan: '78', now: NOW }))), frame(Buffer.from('junk junk', 'latin1'))]));
    expect((await c.receive())?.fields[11]).toBe('000078');
    await c.closedByPeer();
  });

  it('closes connections idle past idleTimeoutMs, and caps how many are open', async () => {
    const small = await startIsoServer({ ledger: host.ledger, idleTimeoutMs: 200, maxConnections: 2 });
    try {
      const idle = await RawIsoConnection.open(small.port);
      open.push(idle);
      await idle.closedByPeer(); // nothing sent for 200 ms
      const a = await RawIsoConnection.open(small.port);
      const b = await RawIsoConnection.open(small.port);
      const c = await RawIsoConnection.open(small.port);
      open.push(a, b, c);
      await c.closedByPeer(); // the third is over the cap
      expect((await a.request(echoRequest({ stan: '9', now: NOW })))?.fields[39]).toBe('00');
    } finally {
      await small.close();
    }
  });

  it('closes the connection on an oversize frame header and keeps serving', async () => {
    const c = await connection();
    c.sendRaw(Buffer.from([0xff, 0xff, 0x30]));
    await c.closedByPeer();
    expect(logged.some((l) => (l.obj as { code?: string }).code === 'ISO_ERR_FRAME_OVERSIZE')).toBe(true);
    await stillServing();
  });

  it('closes the connection on a frame that is not ISO 8583', async () => {
    const c = await connection();
    c.sendRaw(frame(Buffer.from('GET / HTTP/1.1\r\n\r\n', 'latin1')));
    await c.closedByPeer();
    expect(logged.some((l) => (l.obj as { code?: string }).code === 'ISO_ERR_MTI')).toBe(true);
    await stillServing();
  });

  it('answers 30 to a well-formed 0200 that lacks the fields of a burn, without logging the PAN', async () => {
    const c = await connection();
    const res = await c.request({ mti: '0200', fields: { 2: PAN, 11: '000042', 35: `${PAN}=3012101` } });
    expect(res?.mti).toBe('0210');
    expect(res?.fields[39]).toBe('30');
    expect(res?.fields[11]).toBe('000042');
    expect(JSON.stringify(logged)).not.toContain(PAN);
  });

  it('closes the connection for a message with no STAN to answer to', async () => {
    const c = await connection();
    c.sendRaw(frame(encode({ mti: '0500', fields: { 3: '000000' } })));
    await c.closedByPeer();
    await stillServing();
  });

  it('survives random frames and random byte streams', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => frame(Buffer.from(a))), fc.uint8Array({ minLength: 1, maxLength: 300 }).map((a) => Buffer.from(a))), async (bytes) => {
        const c = await connection();
        c.sendRaw(bytes);
        c.sendRaw(frame(encode(echoRequest({ stan: '9', now: NOW }))));
        // A partial frame may swallow the echo; ending our side makes the server close the connection then.
        c.socket.end();
        // Either the bad bytes closed the connection, or the echo behind them is answered.
        for (let i = 0; i < 5; i++) {
          const res = await c.receive();
          if (res === null || res.mti === '0810') break;
        }
        c.close();
      }),
      { numRuns: 40 },
    );
    await stillServing();
    expect(JSON.stringify(logged)).not.toContain(PAN);
  });
});
