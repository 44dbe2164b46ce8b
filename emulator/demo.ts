/**
 * `npm start`: the demo, as a narrative a person can follow. It starts the
 * loyalty host emulator, a card reader on a virtual serial port (socat) and
 * `pos-agent run`, then plays a day at the counter: enroll a card in an
 * offer, swipe it (balance then burn), earn, lose the host (earnings queue),
 * get it back (the queue drains), and print the host's ledger.
 * No hardware, no network: everything is on 127.0.0.1.
 *
 * Each answer is one line in the cashier's words; `--json` (`npm start --
 * --json`) adds the POS API's raw JSON under it. Cards always show masked
 * the one way the agent masks them: first 6 and last 4 digits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskPan } from '../protocol/index.js';
import { agentRequest, cashierText, CounterStack, jsonRequest, money, withSwipe, type PosAnswer } from './stack/index.js';

const rawJson = process.argv.slice(2).includes('--json');
const say = (text: string) => process.stdout.write(`${text}\n`);
const step = (n: number, text: string) => say(`\n${n}. ${text}`);
/** One POS call: the cashier's line, and the raw answer under it with --json. */
const show = (method: string, path: string, a: PosAnswer): PosAnswer => {
  say(`   → ${cashierText(method, path, a)}`);
  if (rawJson) say(`     ${a.status} ${JSON.stringify(a.body)}`);
  return a;
};

/** Where a checkout's cashback went, in words (the cashier line says only "1.00 back"); undefined without one. */
function cashbackText(a: PosAnswer): string[] | undefined {
  const offer = a.body.offer as { status?: unknown; type?: unknown; benefit?: unknown } | undefined;
  if (offer?.status !== 'applied' || offer.type !== 'cashback' || typeof offer.benefit !== 'number' || typeof a.body.amountDue !== 'number') return undefined;
  return [
    `   The ${money(offer.benefit)} back is cashback, not a discount: Pay with Points pays it to the customer after the`,
    `   sale, so the till takes nothing off and the customer pays the full ${money(a.body.amountDue)}.`,
  ];
}

function requireSocat(): void {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('The demo needs socat for the virtual serial port: apt-get install socat\n');
    process.exit(1);
  }
}

interface Ledger {
  cards: { name: string; pan: string; accounts: { accountId: string; accountName: string; balance: number }[] }[];
  entries: { time: string; kind: string; points: number; balanceAfter: number; transactionId: string }[];
}

async function waitFor(what: string, check: () => Promise<boolean>, tries = 100, everyMs = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Where a newcomer goes after the demo. */
const NEXT = [
  'npm start -- --json           this demo again, with the POS API\'s raw JSON under each line',
  'npm run console -- --open     the same counter in your browser: swipe cards, cut the host, watch the queue',
  'npm run bench                 the benchmarks, with their targets (-- --check exits 1 on a miss)',
  'agent/README.md               the POS API (GET /openapi.json), the config, the queue, operations',
  'emulator/README.md            the host, reader, fleet and console emulators',
];

async function main(): Promise<void> {
  requireSocat();
  const dir = mkdtempSync(join(tmpdir(), 'pos-demo-'));
  const stack = new CounterStack({ dir });
  try {
    say('pos-agent demo: a shop counter, fully emulated on this machine.');
    await stack.start();
    say(`   host emulator  ${stack.hostUrl}`);
    say(`   card reader    ${join(dir, 'reader')} (socat pseudo-terminal, framed profile)`);
    say(`   agent POS API  ${stack.agentUrl} (merchant IBP000000000162, terminal 20690111)`);
    say(`                  every call sends Authorization: Bearer <the token in ${join(dir, 'api-token')}>`);
    const agent = (method: string, path: string, body?: unknown) => agentRequest(stack, method, path, body);
    const host = (path: string) => `${stack.hostUrl}${path}`;
    /** A card operation: the POS calls, the cashier swipes the fixture card `card`. */
    const swipe = async (card: string, method: string, path: string, body?: unknown) =>
      show(method, path, await withSwipe(stack, card, () => agent(method, path, body)));
    const health = async () => show('GET', '/v1/health', await agent('GET', '/v1/health'));

    step(1, `Enroll the "happy" card (${maskPan('6280000000000016')}) in a BP cashback offer through Pay with Points.`);
    const offerName = 'BP: 1.00 back on 10.00';
    const offer = await jsonRequest('POST', host('/offers'), {
      merchant_id: '58725',
      offer: { name: offerName, description: ['1.00 cashback on 10.00 or more'], type: 'cashback', value: 100, value_type: 'amount', min_spend: 1000 },
    });
    const person = await jsonRequest('POST', host('/persons'), { first_name: 'Harriet', last_name: 'Happy', email: `harriet.${Date.now()}@example.com` });
    const card = await jsonRequest('POST', host('/cards'), { person_id: person.body.person_id, pan: '6280000000000016', exp_month: 12, exp_year: 2030 });
    const link = await jsonRequest('POST', host(`/cards/${String(card.body.card_id)}/offers`), { offer_id: offer.body.offer_id });
    say(`   Pay with Points now links the offer "${offerName}" to Harriet's card:`);
    say('   a sale of 10.00 or more on it earns 1.00 cashback, which Pay with Points pays to her.');
    if (rawJson) {
      say(`     Pay with Points' own ids: the offer ${String(offer.body.offer_id)}, the card ${String(card.body.card_id)}, `
        + `the card's link to the offer ${String(link.body.card_offer_id)}`);
    }

    step(2, 'Checkout of 25.00 with the offer accepted: the cashier swipes the card once.');
    for (const line of cashbackText(await swipe('happy', 'POST', '/v1/checkout', { reference: 'demo-1', amount: 2500, acceptOffer: true })) ?? []) say(line);

    step(3, 'Redeem 300 points: the agent asks the balance, then burns.');
    await swipe('happy', 'POST', '/v1/redemptions', { reference: 'demo-2', points: 300 });

    step(4, 'Earn on a 12.00 sale.');
    await swipe('happy', 'POST', '/v1/earnings', { reference: 'demo-3', amount: 1200 });

    step(5, 'The host goes away (emulator stopped). Two more sales earn points: they queue durably.');
    await stack.stopHost();
    await swipe('happy', 'POST', '/v1/earnings', { reference: 'demo-4', amount: 800 });
    await swipe('happy', 'POST', '/v1/earnings', { reference: 'demo-5', amount: 450 });
    await waitFor('the agent to notice the host is offline', async () => (await agent('GET', '/v1/health')).body.host === 'offline');
    await health();

    step(6, 'The host comes back on the same port with the same ledger: the queue drains by itself.');
    await stack.startHost();
    await waitFor('the queue to drain', async () => {
      const h = (await agent('GET', '/v1/health')).body as { host?: string; queue?: { pending?: number } };
      return h.host === 'online' && h.queue?.pending === 0;
    });
    await health();

    step(7, "The host's ledger: balances and every applied debit and credit.");
    const ledger = (await jsonRequest('GET', host('/_emulator/ledger'))).body as unknown as Ledger;
    for (const c of ledger.cards.filter((c) => c.name === 'happy')) {
      const accounts = c.accounts.map((a) => `${a.balance} points in its ${a.accountName} account (the host's account number ${a.accountId})`);
      say(`   ${c.name} ${maskPan(c.pan)}: ${accounts.join('; ')}`);
    }
    say("   time      kind    points  balance  transaction (the agent's id for it)");
    for (const e of ledger.entries) {
      say(`   ${e.time.slice(11, 19)}  ${e.kind.padEnd(6)}  ${String(e.points).padStart(6)}  ${String(e.balanceAfter).padStart(7)}  ${e.transactionId}`);
    }
    say('\nDone. Everything ran on 127.0.0.1; no card number was logged or stored in the clear.');
    say('\nWhat to try next:');
    for (const line of NEXT) say(`   ${line}`);
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
