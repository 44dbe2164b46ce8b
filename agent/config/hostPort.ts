import { isIP } from 'node:net';

/** A parsed `host:port` (IPv6 hosts written `[::1]:7401`; `host` holds them without brackets). */
export interface HostPort {
  host: string;
  port: number;
}

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Parses `host:port` / `[v6]:port`; undefined when malformed or the port is outside 0–65535. */
export function parseHostPort(text: string): HostPort | undefined {
  const m = /^\[([^\]]+)\]:([0-9]{1,5})$/.exec(text) ?? /^([^:[\]]+):([0-9]{1,5})$/.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const host = m[1];
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  if (isIP(host) === 0 && !HOSTNAME_RE.test(host)) return undefined;
  if (text.startsWith('[') && isIP(host) !== 6) return undefined;
  return { host, port };
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x.y.z and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** `host:port` as a URL authority: an IPv6 host in brackets (`[::1]:7401`), as {@link parseHostPort} reads it. */
export function formatHostPort(hp: HostPort): string {
  return `${isIP(hp.host) === 6 ? `[${hp.host}]` : hp.host}:${hp.port}`;
}
