/**
 * `pos-agent queue status|list|flush|dead|retry ID --config FILE [--json]`.
 * status/list/dead read the queue read-only (fine while the agent runs);
 * retry makes one small write beside the agent; flush needs the writer lock,
 * so it runs only while the agent is stopped (use the agent's POST /v1/queue/flush otherwise).
 * Without a config file, `--db FILE [--key FILE]` point at the queue directly.
 * `rekey --new-key FILE` re-encrypts the card data under a new key (agent stopped).
 */
import { parseArgs } from 'node:util';
import { loadConfig, type AgentConfig } from '../config/index.js';
import { createHostClient } from '../host/index.js';
import { createLogger } from '../log/index.js';
import { DEFAULT_OFFLINE_LIMITS, loadQueueKey, OperationQueue, QueueError, QueueInspector, OPERATION_STATES, rekeyQueue, retryDeadOperation, storageError, WriterLock } from '../queue/index.js';
import { Forwarder } from '../forwarder/index.js';
import { formatList, formatStatus, shownOperation } from '../queue/index.js';
import { usageError } from './usage.js';

const USAGE = `usage: pos-agent queue <status|list|flush|dead|retry ID|accept-loss|rekey> (--config FILE | --db FILE [--key FILE]) [--json]
  status            counts, oldest pending age, counters, the accepted = ... check
  list [--state S]  items (masked PANs), --limit N (default 50) --offset N
  dead              dead-letter items with their reasons
  flush             forward everything now (agent must be stopped; else POST /v1/queue/flush)
  retry ID          move a dead item back to pending
  accept-loss       after QUEUE_ERR_ROLLED_BACK, and once a person has looked: start from what the
                    database holds (agent must be stopped)
  rekey --new-key FILE
                    re-encrypt the queue's card data under the key in FILE (from pos-agent keygen), in one
                    transaction: safe to interrupt (agent must be stopped)
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' }, db: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean', default: false },
        state: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        'new-key': { type: 'string' },
      },
    });
  } catch (err) {
    return usageError((err as Error).message, USAGE);
  }
  const { values: v, positionals } = parsed;
  const [sub, idText] = positionals;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!sub || !['status', 'list', 'flush', 'dead', 'retry', 'accept-loss', 'rekey'].includes(sub)) return usageError(sub ? `unknown queue command "${sub}"` : 'missing queue command', USAGE);
  let config: AgentConfig | undefined;
  if (v.config !== undefined) config = loadConfig(v.config).config;
  const db = v.db ?? config?.queue.path;
  if (db === undefined) return usageError('give --config FILE (or --db FILE)', USAGE);
  const out = (human: string, data: unknown): void => {
    process.stdout.write(v.json ? JSON.stringify(data, null, 2) + '\n' : human);
  };
  const limit = v.limit === undefined ? 50 : Number(v.limit);
  const offset = v.offset === undefined ? 0 : Number(v.offset);
  if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return usageError('--limit and --offset must be whole numbers', USAGE);
  const state = v.state;
  if (state !== undefined && !(OPERATION_STATES as readonly string[]).includes(state)) {
    return usageError(`--state must be one of ${OPERATION_STATES.join(', ')}`, USAGE);
  }

  try {
    switch (sub) {
      case 'status':
      case 'list':
      case 'dead': {
        const insp = QueueInspector.open(db);
        try {
          if (sub === 'status') {
            const s = insp.stats();
            out(formatStatus(s, db), s);
          } else {
            const ops = insp.list({ state: sub === 'dead' ? 'dead' : (state as 'pending' | undefined), limit, offset });
            out(formatList(ops, Date.now()), ops.map(shownOperation));
          }
        } finally {
          insp.close();
        }
        return 0;
      }
      case 'retry': {
        const id = Number(idText);
        if (!Number.isInteger(id) || id < 1) return usageError('retry needs the item id (see "queue dead")', USAGE);
        const op = retryDeadOperation(db, id);
        out(`item ${id} (${op.kind}, ${op.maskedPan}) moved back to pending\n`, shownOperation(op));
        return 0;
      }
      case 'flush':
        return await flush(db, v.key ?? config?.queue.keyFile, config, out);
      case 'accept-loss':
        return acceptLoss(db, v.key ?? config?.queue.keyFile, out);
      case 'rekey':
        return rekey(db, v.key ?? config?.queue.keyFile, v['new-key'], out);
    }
  } catch (err) {
    const typed = storageError(err, db);
    if (typed instanceof QueueError) {
      process.stderr.write(`pos-agent queue: ${typed.message} [${typed.code}]\n`);
      return 1;
    }
    throw err;
  }
  return 2;
}

/** `queue accept-loss`: the high-water mark is set to what the database holds, so the agent starts again. */
function acceptLoss(db: string, keyFile: string | undefined, out: (h: string, d: unknown) => void): number {
  const holder = WriterLock.holder(db);
  if (holder !== null) {
    process.stderr.write(`pos-agent queue: the agent (pid ${holder}) owns ${db}; stop it first\n`);
    return 1;
  }
  if (keyFile === undefined) {
    process.stderr.write('pos-agent queue: accept-loss needs --config FILE (or --db FILE --key FILE)\n');
    return 2;
  }
  const queue = OperationQueue.open({ path: db, key: loadQueueKey(keyFile), acceptLoss: true });
  try {
    const s = queue.stats();
    out(`accepted the loss: ${db} starts again from the ${s.counters.accepted} operations it holds\n` + formatStatus(s, db), { accepted: s.counters.accepted, stats: s });
    return 0;
  } finally {
    queue.close();
  }
}

/** `queue rekey`: the card data under the new key, in one transaction; then what the technician does next. */
function rekey(db: string, keyFile: string | undefined, newKeyFile: string | undefined, out: (h: string, d: unknown) => void): number {
  if (newKeyFile === undefined) return usageError('rekey needs --new-key FILE (make one with: pos-agent keygen --out FILE)', USAGE);
  if (keyFile === undefined) {
    process.stderr.write('pos-agent queue: rekey needs --config FILE (or --db FILE --key FILE) for the current key\n');
    return 2;
  }
  const holder = WriterLock.holder(db);
  if (holder !== null) {
    process.stderr.write(`pos-agent queue: the agent (pid ${holder}) owns ${db}; stop it first (rekey needs the queue to itself) [QUEUE_ERR_LOCKED]\n`);
    return 1;
  }
  const oldKey = loadQueueKey(keyFile);
  const newKey = loadQueueKey(newKeyFile);
  const r = rekeyQueue(db, oldKey, newKey);
  const next =
    `next:\n` +
    `  1. point queue.keyFile at ${newKeyFile} (or move it over ${keyFile})\n` +
    `  2. start the agent again (pos-agent config check, then the service)\n` +
    `  3. once it runs, retire the old key ${keyFile} (delete it; keep no copy)\n`;
  const head = r.already
    ? `${db} is already under the key in ${newKeyFile} (an earlier rekey completed); nothing to do\n`
    : `re-encrypted the card data of ${r.rows} queue record(s) under the key in ${newKeyFile}\n`;
  out(head + next, { rows: r.rows, already: r.already, newKeyFile, keyCheck: r.keyCheck.slice(0, 16) });
  return 0;
}

async function flush(db: string, keyFile: string | undefined, config: AgentConfig | undefined, out: (h: string, d: unknown) => void): Promise<number> {
  const holder = WriterLock.holder(db);
  if (holder !== null) {
    const auth = config?.api.tokenFile === undefined ? '' : ` (with Authorization: Bearer <the token in ${config.api.tokenFile}>)`;
    process.stderr.write(`pos-agent queue: the agent (pid ${holder}) owns ${db}; ask it to forward with POST /v1/queue/flush on its local API${auth}\n`);
    return 1;
  }
  if (keyFile === undefined || config === undefined) {
    process.stderr.write('pos-agent queue: flush needs --config FILE (the host and queue.keyFile)\n');
    return 2;
  }
  const queue = OperationQueue.open({ path: db, key: loadQueueKey(keyFile), limits: { ...DEFAULT_OFFLINE_LIMITS, ...config.offline } });
  // The host.transport the agent uses (REST or ISO 8583); a command-line flush logs nothing, its summary is the output.
  const host = createHostClient(config, createLogger({ level: 'silent', merchantId: config.terminal.merchantId, terminalId: config.terminal.terminalId }));
  try {
    const fwd = new Forwarder({ queue, host, concurrency: config.queue.concurrency, maxAgeS: config.queue.maxAgeS });
    const r = await fwd.flush();
    const s = queue.stats();
    out(`flushed: ${r.sent} sent, ${r.failed} failed (will retry), ${r.dead} dead\n` + formatStatus(s, db), { ...r, stats: s });
    return r.failed > 0 ? 1 : 0;
  } finally {
    await host.close();
    queue.close();
  }
}
