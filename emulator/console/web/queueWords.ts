/**
 * The console's views of the agent's forwarder and the host's faults in
 * words, never their field names (`oldestPendingAgeS` is "oldest waiting 12 s").
 * Pure: the page renders what these return.
 */

/** The forwarder's counters (`GET /v1/queue`'s `forwarder`), by field. */
const FORWARDER_WORDS: Readonly<Record<string, string>> = {
  sent: 'sent',
  retried: 'retried',
  dead: 'failed for good',
  expired: 'expired',
};

/** A field name in words, for a field this page does not know yet: `lastSentAt` → "last sent at". */
function fieldWords(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

/** The forwarder's counters in one line: "sent 3 · retried 1 · failed for good 0 · expired 0 · oldest waiting 12 s". */
export function forwarderText(forwarder: Readonly<Record<string, unknown>>): string {
  return Object.entries(forwarder)
    .map(([key, value]) => {
      if (key === 'oldestPendingAgeS') return `oldest waiting ${String(value)} s`;
      return `${FORWARDER_WORDS[key] ?? fieldWords(key)} ${String(value)}`;
    })
    .join(' · ');
}

/** A host endpoint as a fault names it, in words: `*` is "every endpoint", `:transactionId` is `<transaction id>`. */
export function endpointWords(endpoint: string): string {
  if (endpoint === '*') return 'every endpoint';
  return endpoint.replace(/:([A-Za-z]+)/g, (_m, name: string) => `<${fieldWords(name)}>`);
}

/** One fault as the host emulator lists it. */
interface FaultView {
  latencyMs?: number;
  status?: number;
  drop?: boolean;
  commitThenDrop?: boolean;
}

/** What one fault does, in words: "answers 503, 2000 ms late". */
function faultWords(f: FaultView): string {
  const parts: string[] = [];
  if (f.latencyMs !== undefined) parts.push(`${f.latencyMs} ms late`);
  if (f.status !== undefined) parts.push(`answers ${f.status}`);
  if (f.drop === true) parts.push('drops the connection');
  if (f.commitThenDrop === true) parts.push('commits, then drops the connection');
  return parts.join(', ') || 'nothing';
}

/**
 * The host's faults (`GET /_emulator/faults`: `{ faults: { endpoint: fault } }`) one per
 * line, "rewards/redeem: commits, then drops the connection" (`*`: "every endpoint"); none: [].
 */
export function faultLines(body: unknown): string[] {
  const faults = (typeof body === 'object' && body !== null ? (body as { faults?: unknown }).faults : undefined) ?? {};
  if (typeof faults !== 'object' || faults === null) return [];
  return Object.entries(faults as Record<string, FaultView>).map(([endpoint, f]) => `${endpointWords(endpoint)}: ${faultWords(f)}`);
}
