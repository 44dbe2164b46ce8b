/** The queue panel: the agent's queue counts, its forwarder, and the queued operations. */
import type { ConsoleState } from './consoleState';
import { forwarderText } from './queueWords';

export function QueuePanel({ state }: { state: ConsoleState | undefined }) {
  const q = state?.queue;
  const stats = (q?.stats ?? {}) as Record<string, number>;
  return (
    <section aria-labelledby="queue-h" class="panel wide">
      <h2 id="queue-h">Queue and forwarder</h2>
      <p data-testid="queue-counts">
        pending {stats.pending ?? 0} · sending {stats.sending ?? 0} · dead {stats.dead ?? 0} · abandoned {stats.abandoned ?? 0} · done {q?.done ?? 0}
      </p>
      <p data-testid="forwarder">Forwarder: {q ? forwarderText(q.forwarder) : '…'}</p>
      <table aria-label="Queued operations">
        <thead>
          <tr>
            <th>id</th>
            <th>kind</th>
            <th>state</th>
            <th>card</th>
            <th>attempts</th>
            <th>why</th>
          </tr>
        </thead>
        <tbody data-testid="queue-items">
          {(q?.items ?? []).map((i) => (
            <tr key={i.id} class={`state-${i.state}`}>
              <td>{i.id}</td>
              <td>
                {i.kind}
                {i.offline ? ' (offline)' : ''}
              </td>
              <td>{i.state}</td>
              <td>{i.maskedPan}</td>
              <td>{i.attempts}</td>
              <td>{i.deadReason ?? i.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
