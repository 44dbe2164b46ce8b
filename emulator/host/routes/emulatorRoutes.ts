import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { errorBody } from '../../../protocol/loyalty/index.js';
import { applyFaultRequest, FaultRequestSchema, type FaultTable } from '../faults.js';
import type { Fixtures } from '../fixtures.js';
import { ledgerView, type Ledger, type LedgerHistory } from '../ledger/index.js';

export interface EmulatorRouteDeps {
  fixtures: Fixtures;
  faults: FaultTable;
  history: LedgerHistory;
  ledger: Pick<Ledger, 'journal'>;
}

/**
 * The emulator's own endpoints (no authentication; the host binds 127.0.0.1):
 * `GET /_emulator/fixtures`, `GET|POST|DELETE /_emulator/faults`, `GET /_emulator/ledger`, `GET /_emulator/journal`.
 * A fault request is checked against {@link FaultRequestSchema} in the
 * handler, which answers E37 listing every bad field (`"path": message; ...`).
 */
export const emulatorRoutes: FastifyPluginCallbackZod<EmulatorRouteDeps> = (app, deps, done) => {
  app.get('/_emulator/fixtures', async () => ({
    earnRate: deps.fixtures.earnRate,
    slowDelayS: deps.fixtures.slowDelayS,
    cards: deps.fixtures.cards.map((c) => ({
      name: c.name, pan: c.pan, expiry: c.expiry, holder: c.holder, enrolled: c.enrolled, behaviour: c.behaviour, accounts: c.accounts,
    })),
  }));

  app.get('/_emulator/faults', async () => ({ faults: deps.faults.list() }));

  app.delete('/_emulator/faults', async () => {
    deps.faults.clear();
    return { faults: {} };
  });

  app.post('/_emulator/faults', async (req, reply) => {
    const r = FaultRequestSchema.safeParse(req.body);
    if (!r.success) {
      const msg = r.error.issues.map((i) => `"${i.path.join('.') || '(root)'}": ${i.message}`).join('; ');
      return reply.code(400).send(errorBody('E37', msg));
    }
    return { faults: applyFaultRequest(deps.faults, r.data) };
  });

  // Per (kind, transactionId): how many requests arrived and what the ledger did with them.
  app.get('/_emulator/journal', async () => ({ transactions: deps.ledger.journal() }));

  app.get('/_emulator/ledger', async () => ledgerView(deps.history));
  done();
};
