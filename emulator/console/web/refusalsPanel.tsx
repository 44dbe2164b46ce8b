/**
 * The refusals panel: what the POS heard as a no (declined, not available,
 * not done in time), by what and why, and what it heard as a yes that the
 * host refused later (dead-letter items), by why. Both are counted by the
 * console server (heardNo.ts, yesThenRefused.ts) and pushed with the live state.
 */

import type { FigureRow, Refusals } from './consoleState';

function Figures({ rows, label, testId }: { rows: FigureRow[]; label: string; testId: string }) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th>times</th>
          <th>what happened</th>
        </tr>
      </thead>
      <tbody data-testid={testId}>
        {rows.map((r) => (
          <tr key={r.words}>
            <td>{r.count}</td>
            <td>{r.words}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many yes answers the host refused later, in a sentence. */
function afterYesText(total: number): string {
  if (total === 0) return 'None: nothing the POS heard as a yes (an accepted earning, an offline approval) was refused by the host later.';
  if (total === 1) return '1 answer the POS heard as a yes (an accepted earning, an offline approval) was refused by the host later: a dead item in the queue.';
  return `${total} answers the POS heard as a yes (accepted earnings, offline approvals) were refused by the host later: dead items in the queue.`;
}

export function RefusalsPanel({ refusals }: { refusals: Refusals | undefined }) {
  const heard = refusals?.heardNo ?? [];
  const after = refusals?.yesThenRefused;
  return (
    <section aria-labelledby="refusals-h" class="panel">
      <h2 id="refusals-h">Refusals</h2>
      <h3>The POS heard no</h3>
      {heard.length > 0 ? <Figures rows={heard} label="Refusals the POS heard" testId="refusals-heard" /> : <p>None yet.</p>}
      <h3>Yes, then refused by the host</h3>
      <p data-testid="refused-after-yes-total">{after ? afterYesText(after.total) : '…'}</p>
      {after && after.byReason.length > 0 && <Figures rows={after.byReason} label="Yes, then refused by the host" testId="refused-after-yes" />}
    </section>
  );
}
