/**
 * `pos-emulator console` in headless Chromium (Debian's `chromium`, driven by
 * playwright-core): the whole emulated counter behind one page. A cashier's
 * afternoon: swipe `happy` and see the approval; cut the host, earn twice
 * and see two items queued; restore it and see the queue drain; a burn on the
 * `commit-then-drop` card and its reversal in the timeline; a redemption on the
 * `empty` card in the refusals view. The page carries the console's token
 * (its every /api call is answered), the reader's labels follow the balances,
 * and no field name is shown for words. Screenshots go to
 * test/.output/console/ (not committed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../agent/packageInfo.js';
import { jsonLine, startChild, type Child } from '../../emulator/stack/childProcess.js';
import { EMULATOR_CLI } from '../../emulator/stack/index.js';
import { findPanLike } from '../../protocol/pan.js';
import { socatAvailable } from '../support/e2eStack.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(packageRoot(), 'test', '.output', 'console');
const chromiumAvailable = (() => {
  try {
    execFileSync(CHROMIUM, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
/** Under CI=true this never skips (.ci/run installs chromium and socat). */
const skip = (!chromiumAvailable || !socatAvailable()) && process.env.CI !== 'true';

describe.skipIf(skip)('the console in a browser', () => {
  let server: Child;
  let url = '';
  let profile = '';
  let context: BrowserContext;
  let page: Page;
  /** Errors the browser saw while the page loaded and ran: console errors, answers of 400 and more. */
  const loadErrors: string[] = [];

  beforeAll(async () => {
    server = startChild(process.execPath, [EMULATOR_CLI, 'console', '--port', '0']);
    url = String(jsonLine(await server.waitForLine((l) => jsonLine(l)?.msg === 'console listening', 60_000))?.url);
    profile = mkdtempSync(join(tmpdir(), 'pos-console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      viewport: { width: 1400, height: 1100 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    // No network but the console's own origin.
    await page.route('**/*', (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
    page.on('console', (m) => {
      if (m.type() === 'error') loadErrors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) loadErrors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(url);
    await page.getByTestId('reader-state').getByText('plugged, idle').waitFor({ timeout: 20_000 });
    mkdirSync(SHOTS, { recursive: true });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await server?.stop('SIGTERM', 15_000);
  }, 30_000);

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const answer = () => page.getByTestId('pos-answer').textContent();
  /** Presses a POS button, waits until the agent armed the reader, then swipes `card` from the reader panel. */
  const withSwipe = async (button: string, card: string) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await expect.poll(answer, { timeout: 10_000 }).toContain('waiting for a card');
    await expect.poll(() => page.getByTestId('reader-state').textContent(), { timeout: 10_000 }).toContain('armed');
    await page.getByRole('button', { name: `Swipe ${card}`, exact: true }).click();
    await expect.poll(answer, { timeout: 20_000 }).not.toContain('waiting for a card');
  };

  it('loads with no error in the browser\'s console (no favicon 404, no 401: the page carries its token), and /favicon.ico is no 404 either', async () => {
    expect(loadErrors).toEqual([]);
    expect((await page.request.get(`${url}/favicon.ico`)).status()).toBe(204);
  });

  it('swipes happy and shows the approval in the cashier\'s words, the raw JSON one click away', async () => {
    await page.getByLabel('Points').fill('100');
    await withSwipe('Redeem', 'happy');
    expect(await answer()).toContain('Approved: 100 points redeemed from card 628000******0016');
    // The reader's label follows the host's balance (it said 2450 points before).
    const happy = page.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Swipe happy', exact: true }) }).locator('.behaviour');
    await expect.poll(() => happy.textContent(), { timeout: 10_000 }).toBe('2350 points');
    await page.getByText(/^Raw JSON/).click();
    expect(await page.getByTestId('pos-answer').locator('pre').textContent()).toContain('"status": "approved"');
    await shot('1-approved');
  }, 60_000);

  it('cuts the host, earns twice, and shows two items queued', async () => {
    await page.getByRole('button', { name: 'Cut the host' }).click();
    await expect.poll(() => page.getByTestId('host-state').textContent(), { timeout: 20_000 }).toBe('offline');
    await page.getByLabel('Amount (minor units)').fill('800');
    await withSwipe('Earn', 'happy');
    expect(await answer()).toContain('saved on this terminal, sent when the host is back');
    await page.getByLabel('Amount (minor units)').fill('450');
    await withSwipe('Earn', 'happy');
    await expect.poll(() => page.getByTestId('queue-counts').textContent(), { timeout: 20_000 }).toContain('pending 2');
    expect(await page.getByTestId('queue-items').locator('tr').count()).toBe(2);
    expect(await page.getByTestId('queue-items').textContent()).toContain('628000******0016');
    await shot('2-two-queued');
  }, 60_000);

  it('restores the host and shows the queue drain', async () => {
    await page.getByRole('button', { name: 'Restore the host' }).click();
    await expect.poll(() => page.getByTestId('host-state').textContent(), { timeout: 20_000 }).toBe('online');
    await expect.poll(() => page.getByTestId('queue-counts').textContent(), { timeout: 60_000 }).toMatch(/pending 0 .*done [1-9]/);
    expect(await page.getByTestId('queue-items').locator('tr').count()).toBe(0);
    await shot('3-drained');
  }, 90_000);

  it('shows the reversal of a commit-then-drop burn in the timeline', async () => {
    await page.getByLabel('Points').fill('120');
    await withSwipe('Redeem', 'commit-then-drop');
    const timeline = page.getByTestId('timeline').locator(':scope > li').first();
    await expect.poll(() => timeline.textContent(), { timeout: 60_000 }).toMatch(/reversal: commit/);
    const steps = await timeline.locator('.steps li').allTextContents();
    expect(steps[0]).toMatch(/^arm/);
    expect(steps.some((s) => /^card: 628000\*+0081/.test(s))).toBe(true);
    expect(steps.some((s) => /^burn: sent to the host/.test(s))).toBe(true);
    expect(steps.some((s) => /^answer: 200/.test(s))).toBe(true);
    for (const s of steps) expect(s).toMatch(/\+\d+ ms$/);
    await shot('4-reversal');
  }, 90_000);

  it('counts a declined redemption on the empty card in the refusals view, in words', async () => {
    await page.getByLabel('Points').fill('100');
    await withSwipe('Redeem', 'empty');
    await expect.poll(() => page.getByTestId('refusals-heard').textContent(), { timeout: 10_000 }).toContain('Redemption declined: not enough points on the card');
    await shot('5-refusals');
  }, 60_000);

  it('shows no card number in the clear anywhere on the page, and no field name for words (the raw JSON aside)', async () => {
    const text = await page.locator('body').innerText();
    expect(findPanLike(text)).toEqual([]);
    // Every text node of the page, shown or folded away, but the raw JSON's <pre> (the test's tsconfig has no DOM types).
    const texts = await page.evaluate<string>(`(() => {
      const texts = [];
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n !== null; n = walk.nextNode()) if (!n.parentElement?.closest('pre')) texts.push(n.textContent);
      return texts.join(' ');
    })()`);
    const words = texts.replace(/\s+/g, ' ');
    expect(words).toContain('Forwarder: sent');
    expect(words.match(/\b[a-z]+[A-Z]\w*/g) ?? []).toEqual([]);
    expect(existsSync(join(SHOTS, '4-reversal.png'))).toBe(true);
  });
});
