/**
 * Where the forwarder is, as one value (the only state of its pump besides the
 * work in hand). Times are epoch ms on the forwarder's clock.
 *
 * - `stopped`: not started, or stopped; it sends only when flushed. `online`
 *   is what the host's last answer (to a flush) said.
 * - `offline`: running; the host could not be reached. Nothing is sent; the
 *   host is pinged every probeIntervalMs, the next time at `nextProbeAt`.
 * - `online`: running and sending; the host answers (since `since`).
 * - `storage-backoff`: running, the host answers, but the queue's own store
 *   failed `failures` times in a row (disk full, I/O, damage): the pump tries
 *   again at `until`, on the forwarder's backoff, as it would on host errors.
 *
 * `online` and `storage-backoff` count as online (the host is reachable).
 */
export type ForwarderState =
  | { kind: 'stopped'; online: boolean }
  | { kind: 'offline'; since: number; nextProbeAt: number }
  | { kind: 'online'; since: number }
  | { kind: 'storage-backoff'; since: number; failures: number; until: number };

/** The host answers, as far as the forwarder knows. */
export function isOnline(s: ForwarderState): boolean {
  return s.kind === 'online' || s.kind === 'storage-backoff' || (s.kind === 'stopped' && s.online);
}

/** The background pump may send: running and online. */
export function isPumping(s: ForwarderState): s is Extract<ForwarderState, { kind: 'online' | 'storage-backoff' }> {
  return s.kind === 'online' || s.kind === 'storage-backoff';
}
