/** The timeline panel: each POS operation the console made, in the cashier's words, with its steps and their times. */
import type { ConsoleState } from './consoleState';

export function TimelinePanel({ state }: { state: ConsoleState | undefined }) {
  return (
    <section aria-labelledby="timeline-h" class="panel wide">
      <h2 id="timeline-h">Timeline</h2>
      <ol class="timeline" data-testid="timeline">
        {(state?.operations ?? []).map((op) => (
          <li key={op.id}>
            <p>
              <strong>{op.label}</strong> {op.reference ? <code>{op.reference}</code> : null} — {op.cashier}
            </p>
            <ol class="steps">
              {op.steps.map((s, k) => (
                <li key={k}>
                  <span class="step">{s.name}</span> <span class="ms">+{s.ms} ms</span>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </section>
  );
}
