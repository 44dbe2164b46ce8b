import { MAX_SKEW_S } from '../../protocol/loyalty/index.js';
import { ConfigError, loadConfig, type AgentConfig, type ConfigProblem, type IsoHostConfig, type RestHostConfig } from '../config/index.js';
import { HostError, IsoHostClient, RestHostClient } from '../host/index.js';
import { loadQueueKey } from '../queue/index.js';
import { describeDeviceAccess, probeReader, ReaderError, type DeviceAccess } from '../cardSources/serial/index.js';

/** One line of `pos-agent config check`. */
export interface CheckLine {
  status: 'ok' | 'fail' | 'warn';
  /** What was checked, e.g. `host` or `host.timeoutMs`. */
  label: string;
  detail: string;
  /** How to fix it (for fail and warn). */
  fix?: string;
}

/** Probes the card reader; resolves with a description or rejects with a reason. */
export type ReaderProbe = (cfg: AgentConfig['reader']) => Promise<string>;

export interface CheckOptions {
  /** Variables for `${NAME}` in the file. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reader probe. Default: `probeReader` from agent/cardSources/serial. */
  probeReader?: ReaderProbe;
}

/** The real reader probe (agent/cardSources/serial): opens the port and asks the reader's status. */
const realReaderProbe: ReaderProbe = async (cfg) => {
  const r = await probeReader({ path: cfg.path, profile: cfg.profile, baudRate: cfg.baudRate });
  return r.status === 'unknown' ? `the port opens (a ${r.profile} reader cannot be asked its status)` : `${r.profile} reader answered, status ${r.status}`;
};

const problemLine = (p: ConfigProblem): CheckLine => ({
  status: 'fail',
  label: p.path === '' ? `line ${p.line}` : `${p.path} (line ${p.line}, column ${p.column})`,
  detail: p.message + (p.value === undefined ? '' : ` (got ${JSON.stringify(p.value)})`),
  fix: `expected ${p.expected}`,
});

function hostFix(err: HostError, cfg: AgentConfig): string {
  const [where, key] = cfg.host.transport === 'rest' ? [cfg.host.baseUrl, 'host.baseUrl'] : [cfg.host.isoAddress, 'host.isoAddress'];
  switch (err.code) {
    case 'HOST_ERR_CONNECT':
      return `is the host running and reachable at ${where}? check ${key}, the network${cfg.host.transport === 'rest' ? ', and host.caFile for https' : ''}`;
    case 'HOST_ERR_AUTH':
      return 'check host.clientId and host.clientSecret / host.clientSecretFile with the host operator';
    case 'HOST_ERR_TIMEOUT':
      return 'the host is slow or unreachable; check the network, or raise host.timeoutMs';
    default:
      return `check that ${where} is the loyalty host`;
  }
}

/** ISO 8583: a network management echo (0800) must come back as its 0810; an open TCP port alone is not a host. */
async function checkIsoHost(cfg: AgentConfig, host: IsoHostConfig): Promise<CheckLine[]> {
  const client = IsoHostClient.fromConfig(host, cfg.terminal);
  const started = performance.now();
  try {
    await client.ping();
    const ms = Math.round(performance.now() - started);
    return [{ status: 'ok', label: 'host', detail: `ISO 8583 link at ${host.isoAddress} answered the echo (0800 → 0810, ${ms} ms; clock skew not checked over ISO)` }];
  } catch (err) {
    if (!(err instanceof HostError)) throw err;
    return [{ status: 'fail', label: 'host', detail: err.message, fix: hostFix(err, cfg) }];
  } finally {
    await client.close();
  }
}

/** REST: a token is issued, and the host's `Date` header gives the clock skew. */
async function checkRestHost(cfg: AgentConfig, host: RestHostConfig): Promise<CheckLine[]> {
  const client = RestHostClient.fromConfig(host, cfg.terminal);
  try {
    const probe = await client.probe();
    const lines: CheckLine[] = [{ status: 'ok', label: 'host', detail: `${host.baseUrl} issued a token to ${host.clientId} (${probe.roundTripMs} ms)` }];
    if (probe.skewS === undefined) {
      lines.push({ status: 'warn', label: 'clock', detail: 'the host sent no Date header; clock skew unknown', fix: 'make sure the terminal clock is synchronised (NTP)' });
    } else if (Math.abs(probe.skewS) > MAX_SKEW_S) {
      const min = Math.round(Math.abs(probe.skewS) / 60);
      lines.push({ status: 'fail', label: 'clock', detail: `the terminal clock is ${min} min ${probe.skewS > 0 ? 'ahead of' : 'behind'} the host: every request would fail with E24 (limit 30 min)`, fix: 'set the terminal clock (enable NTP: timedatectl set-ntp true)' });
    } else {
      lines.push({ status: 'ok', label: 'clock', detail: `skew against the host ${probe.skewS} s (limit ${MAX_SKEW_S} s)` });
    }
    return lines;
  } catch (err) {
    if (!(err instanceof HostError)) throw err;
    return [{ status: 'fail', label: 'host', detail: err.message, fix: hostFix(err, cfg) }];
  } finally {
    await client.close();
  }
}

/**
 * The fix for a reader this user may not open: whose the device is, who is asking, and the two ways out
 * (the device's group for the user, or a udev rule; for the emulator's pseudo-terminal, the emulator run as the
 * user or the PTY opened to dialout). The service itself gets dialout from the unit's SupplementaryGroups.
 */
export function readerPermissionFix(path: string, access: DeviceAccess | undefined): string {
  if (access === undefined) {
    return `the user running this check may not read and write ${path}: add it to the device's group (usermod -aG dialout USER), or give the device to dialout with mode 0660 (a udev rule)`;
  }
  const { device, owner, group, mode, user } = access;
  const who = `${user} may not read and write ${device} (owner ${owner}, group ${group}, mode ${mode})`;
  if (access.pty) {
    return `${who}: a pseudo-terminal, such as the emulator's (pos-emulator reader --link), which only its owner may open. ` +
      `Either start the emulator as ${user}: runuser -u ${user} -- pos-emulator reader --link ${path} ` +
      `or open it to dialout, with ${user} in dialout: chgrp dialout ${device} && chmod g+rw ${device} && usermod -aG dialout ${user}`;
  }
  const join = group === 'root' ? '' : `add ${user} to the group ${group} (usermod -aG ${group} ${user}; the service gets dialout from the unit's SupplementaryGroups=dialout), or `;
  // By its kind (ttyUSB[0-9]*), not its number: a replug may give the reader another one.
  const base = device.slice(device.lastIndexOf('/') + 1).replace(/[0-9]+$/, '[0-9]*');
  return `${who}: ${join}give the device to dialout with mode 0660 by a udev rule ` +
    `(/etc/udev/rules.d/99-pos-reader.rules: SUBSYSTEM=="tty", KERNEL=="${base}", GROUP="dialout", MODE="0660"; then udevadm trigger)`;
}

/**
 * Everything `pos-agent config check` verifies: the file (every problem, and
 * its warnings: a secret or token file readable by others, a POS API with no
 * token), the queue key, the POS API token, the reader and the host (REST: token and clock skew; ISO 8583:
 * an echo). Never throws for a failed check; each becomes a line.
 */
export async function checkConfig(file: string, opts: CheckOptions = {}): Promise<CheckLine[]> {
  let cfg: AgentConfig;
  const lines: CheckLine[] = [];
  try {
    const loaded = loadConfig(file, opts.env ?? process.env);
    cfg = loaded.config;
    lines.push({ status: 'ok', label: 'config', detail: `${file} is valid` });
    // The queue key gets its own check line below (missing and mode included).
    for (const w of loaded.warnings.filter((x) => x.path !== 'queue.keyFile')) lines.push({ status: 'warn', label: `${w.path} (line ${w.line})`, detail: w.message });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map(problemLine);
  }
  try {
    loadQueueKey(cfg.queue.keyFile);
    lines.push({ status: 'ok', label: 'queue.keyFile', detail: `${cfg.queue.keyFile} holds a 32-byte key` });
  } catch (err) {
    lines.push({ status: 'fail', label: 'queue.keyFile', detail: (err as Error).message, fix: `pos-agent keygen --out ${cfg.queue.keyFile}` });
  }
  if (cfg.api.tokenFile !== undefined) {
    const open = cfg.api.openRoutes.length === 0 ? 'every route' : `every route but ${cfg.api.openRoutes.join(' and ')}`;
    lines.push({ status: 'ok', label: 'api.tokenFile', detail: `the POS API requires the bearer token in ${cfg.api.tokenFile} on ${open}` });
  }
  const probe = opts.probeReader ?? realReaderProbe;
  try {
    lines.push({ status: 'ok', label: 'reader', detail: `${cfg.reader.path}: ${await probe(cfg.reader)}` });
  } catch (err) {
    if (err instanceof ReaderError && err.code === 'READER_ERR_PERMISSION') {
      lines.push({ status: 'fail', label: 'reader', detail: err.message, fix: readerPermissionFix(cfg.reader.path, describeDeviceAccess(cfg.reader.path)) });
    } else {
      lines.push({ status: 'fail', label: 'reader', detail: (err as Error).message, fix: `check the cable, reader.path, reader.profile (${cfg.reader.profile}) and reader.baudRate (${cfg.reader.baudRate}); with the emulator: pos-emulator reader --link ${cfg.reader.path}` });
    }
  }
  lines.push(...(cfg.host.transport === 'rest' ? await checkRestHost(cfg, cfg.host) : await checkIsoHost(cfg, cfg.host)));
  return lines;
}

/** Formats check lines for the terminal: `✓`, `✗` or `!`, then the fix indented. */
export function formatCheckLines(lines: readonly CheckLine[]): string {
  const mark = { ok: '✓', fail: '✗', warn: '!' } as const;
  return lines.map((l) => `${mark[l.status]} ${l.label}: ${l.detail}${l.fix === undefined ? '' : `\n    fix: ${l.fix}`}`).join('\n') + '\n';
}
