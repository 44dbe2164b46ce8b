/**
 * The console page's event stream reader (emulator/console/web/serverSentEvents.ts) against a real HTTP
 * server on loopback: the state events it hears, and a refused token (the console restarted) that stops it.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenToEvents } from '../../../emulator/console/web/serverSentEvents.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server answering every request with `answer`; resolves with its URL and the count of requests it had. */
async function serve(answer: (res: ServerResponse) => void): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  server = createServer((_req, res) => {
    n++;
    answer(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/events`, requests: () => n };
}

describe('the console page\'s event stream', () => {
  it('hands over the data of the events it listens to', async () => {
    const s = await serve((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: other\ndata: no\n\nevent: state\ndata: {"a":1}\n\n');
    });
    const heard = await new Promise<string>((resolve) => {
      const stop = listenToEvents(s.url, 'state', {}, (data) => {
        stop();
        resolve(data);
      }, () => resolve('refused'));
    });
    expect(heard).toBe('{"a":1}');
  });

  it('stops, and says so once, when the console refuses the page\'s token (a restart made a new one)', async () => {
    const s = await serve((res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"code":"console-token-invalid"}');
    });
    let refusals = 0;
    await new Promise<void>((resolve) => listenToEvents(s.url, 'state', { authorization: 'Bearer old' }, () => undefined, () => {
      refusals++;
      resolve();
    }));
    // It would try again a second later if it kept going.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect([refusals, s.requests()]).toEqual([1, 1]);
  });
});
