/**
 * `npm start`: the demo, as a narrative a person can follow. It starts the
 * loyalty host emulator, a card reader on a virtual serial port (socat) and
 * `pos-agent run`, then plays a day at the counter: enroll a card in an
 * offer, swipe it (balance then burn), earn, lose the host (earnings queue),
 * get it back (the queue drains), and print the host's ledger.
 * No hardware, no network: everything is on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CounterStack } from './stack/index.js';
import { agentRequest, jsonRequest, withSwipe, type PosAnswer } from './stack/index.js';

const say = (text: string) => process.stdout.write(`${text}\n`);
const step = (n: number, text: string) => say(`\n${n}. ${text}`);
const show = (a: PosAnswer) => say(`   ← ${a.status} ${JSON.stringify(a.body)}`);

function requireSocat(): void {
  try {
    execFileSync('socat', ['-V'], { stdio: 'ignore' });
  } catch {
    process.stderr.write('The demo needs socat for the virtual serial port: apt-get install socat\n');
    process.exit(1);
  }
}

interface Ledger {
  cards: { name: string; pan: string; accounts: { accountId: string; balance: number }[] }[];
  entries: { time: string; kind: string; points: number; balanceAfter: number; transactionId: string }[];
}

async function waitFor(what: string, check: () => Promise<boolean>, tries = 100, everyMs = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

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

    step(1, 'Enroll the "happy" card (6280 00** **** 0016) in a BP cashback offer through Pay with Points.');
    const offer = await jsonRequest('POST', host('/offers'), {
      merchant_id: '58725',
      offer: { name: 'BP: 1.00 back on 10.00', description: ['1.00 cashback on 10.00 or more'], type: 'cashback', value: 100, value_type: 'amount', min_spend: 1000 },
    });
    const person = await jsonRequest('POST', host('/persons'), { first_name: 'Harriet', last_name: 'Happy', email: `harriet.${Date.now()}@example.com` });
    const card = await jsonRequest('POST', host('/cards'), { person_id: person.body.person_id, pan: '6280000000000016', exp_month: 12, exp_year: 2030 });
    const link = await jsonRequest('POST', host(`/cards/${String(card.body.card_id)}/offers`), { offer_id: offer.body.offer_id });
    say(`   offer ${String(offer.body.offer_id)}, person ${String(person.body.person_id)}, card ${String(card.body.card_id)} (last4 ${String(card.body.last4)}), link ${String(link.body.card_offer_id)}`);

    step(2, 'Checkout of 25.00 with the offer accepted: the cashier swipes the card once.');
    show(await withSwipe(stack, 'happy', () => agent('POST', '/v1/checkout', { reference: 'demo-1', amount: 2500, acceptOffer: true })));

    step(3, 'Redeem 300 points: the agent asks the balance, then burns.');
    show(await withSwipe(stack, 'happy', () => agent('POST', '/v1/redemptions', { reference: 'demo-2', points: 300 })));

    step(4, 'Earn on a 12.00 sale.');
    show(await withSwipe(stack, 'happy', () => agent('POST', '/v1/earnings', { reference: 'demo-3', amount: 1200 })));

    step(5, 'The host goes away (emulator stopped). Two more sales earn points: they queue durably.');
    await stack.stopHost();
    show(await withSwipe(stack, 'happy', () => agent('POST', '/v1/earnings', { reference: 'demo-4', amount: 800 })));
    show(await withSwipe(stack, 'happy', () => agent('POST', '/v1/earnings', { reference: 'demo-5', amount: 450 })));
    await waitFor('the agent to notice the host is offline', async () => (await agent('GET', '/v1/health')).body.host === 'offline');
    show(await agent('GET', '/v1/health'));

    step(6, 'The host comes back on the same port with the same ledger: the queue drains by itself.');
    await stack.startHost();
    await waitFor('the queue to drain', async () => {
      const h = (await agent('GET', '/v1/health')).body as { host?: string; queue?: { pending?: number } };
      return h.host === 'online' && h.queue?.pending === 0;
    });
    show(await agent('GET', '/v1/health'));

    step(7, "The host's ledger: balances and every applied debit and credit.");
    const ledger = (await jsonRequest('GET', host('/_emulator/ledger'))).body as unknown as Ledger;
    for (const c of ledger.cards.filter((c) => c.name === 'happy')) {
      say(`   ${c.name} ${c.pan}: ${c.accounts.map((a) => `account ${a.accountId} balance ${a.balance}`).join(', ')}`);
    }
    say('   time                      kind      points  balance  transactionId');
    for (const e of ledger.entries) {
      say(`   ${e.time}  ${e.kind.padEnd(8)}  ${String(e.points).padStart(6)}  ${String(e.balanceAfter).padStart(7)}  ${e.transactionId}`);
    }
    say('\nDone. Everything ran on 127.0.0.1; the agent never logged or stored a PAN in the clear.');
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
