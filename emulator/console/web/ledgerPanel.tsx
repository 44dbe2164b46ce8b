/** The host ledger panel: each card's balances and the ledger's entries (while the host is cut: a note instead). */
import type { ConsoleState } from './consoleState';

export function LedgerPanel({ state }: { state: ConsoleState | undefined }) {
  return (
    <section aria-labelledby="ledger-h" class="panel">
      <h2 id="ledger-h">Host ledger</h2>
      {state?.ledger ? (
        <>
          <ul>
            {state.ledger.cards.map((c) => (
              <li key={c.name}>
                {c.name} {c.pan}: {c.accounts.map((a) => `${a.balance} points`).join(', ')}
              </li>
            ))}
          </ul>
          <table aria-label="Ledger entries">
            <thead>
              <tr>
                <th>time</th>
                <th>kind</th>
                <th>points</th>
                <th>balance</th>
              </tr>
            </thead>
            <tbody>
              {state.ledger.entries.map((e) => (
                <tr key={`${e.transactionId}-${e.kind}-${e.time}`}>
                  <td>{e.time.slice(11, 19)}</td>
                  <td>{e.kind}</td>
                  <td>{e.points}</td>
                  <td>{e.balanceAfter}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>The host is offline: its ledger shows again when it is back.</p>
      )}
    </section>
  );
}
