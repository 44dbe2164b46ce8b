import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startConsoleServer, WEB_DIR } from './consoleServer.js';
import { startEmulatedCounter } from './emulatedCounter.js';

const USAGE = 'usage: pos-emulator console [--port N] [--open]\n';

function usage(msg: string): number {
  process.stderr.write(`error: ${msg}\n${USAGE}`);
  return 2;
}

/**
 * `pos-emulator console`: a whole emulated counter (host emulator, reader
 * emulator on socat, agent) and the page that drives it, on 127.0.0.1
 * (default port 7480; 0 for any). `--open` asks the desktop to open it.
 * Prints `{"msg":"console listening","url":...}`; Ctrl-C stops everything.
 */
export async function main(argv: string[]): Promise<number> {
  let values: { port?: string; open?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: 'string' }, open: { type: 'boolean' } } }));
  } catch (err) {
    return usage((err as Error).message);
  }
  const port = Number(values.port ?? '7480');
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be a port number, 0 to 65535 (got ${String(values.port)})`);
  if (!existsSync(join(WEB_DIR, 'index.html'))) {
    process.stderr.write(`error: the console page is not built (${WEB_DIR}); run npm run build\n`);
    return 1;
  }
  process.stderr.write('starting the emulated counter (host, reader, agent)…\n');
  const counter = await startEmulatedCounter();
  let server: Awaited<ReturnType<typeof startConsoleServer>>;
  try {
    server = await startConsoleServer({ counter, port });
  } catch (err) {
    await counter.stop();
    process.stderr.write(`error: could not listen on 127.0.0.1:${port}: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ msg: 'console listening', url: server.url, agentUrl: counter.agentUrl, hostUrl: counter.hostUrl() })}\n`);
  process.stderr.write(`console: open ${server.url} (Ctrl-C stops the counter)\n`);
  if (values.open === true) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.app.close();
  await counter.stop();
  return 0;
}

/** Asks the desktop to open `url` (xdg-open); says so when there is none. */
function openBrowser(url: string): void {
  const child = spawn('xdg-open', [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`console: could not open a browser (no xdg-open); open ${url} yourself\n`));
  child.unref();
}
