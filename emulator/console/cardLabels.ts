import type { Fixtures } from '../host/index.js';

/** A fixture card as the reader panel shows it: its name, and what swiping it does, with its balance now. */
export interface CardLabel {
  name: string;
  behaviour: string;
}

/** A card's accounts as the host's ledger lists them (`GET /_emulator/ledger`). */
export interface LedgerCardBalance {
  name: string;
  accounts: readonly { balance: number }[];
}

/** What the host does with a card of each behaviour. */
const BEHAVIOUR_WORDS: Readonly<Record<string, string>> = {
  'host-error': 'the host answers 500 without touching the ledger',
  'commit-then-drop': 'the host applies the burn, then drops the connection: the agent reverses it',
};

/**
 * The reader panel's card labels ("2350 points", "0 points: a redemption is declined"),
 * the balance read from the host's ledger each time the console reads it, so a label
 * never shows a balance from before an operation. `balances` is the host's ledger now,
 * or the last one the console read while the host is cut (undefined: none read yet,
 * the fixtures' starting balances).
 */
export function cardLabels(fixtures: Pick<Fixtures, 'cards' | 'offers' | 'slowDelayS'>, balances: readonly LedgerCardBalance[] | undefined): CardLabel[] {
  return fixtures.cards.map((card) => {
    const held = balances?.find((b) => b.name === card.name)?.accounts ?? card.accounts;
    const points = held.reduce((sum, a) => sum + a.balance, 0);
    const parts: string[] = [];
    if (card.enrolled) parts.push(`${points} points${points === 0 ? ': a redemption is declined' : ''}`);
    const offers = card.linkedOffers.map((i) => fixtures.offers[i]?.name).filter((n): n is string => n !== undefined);
    if (offers.length > 0) parts.push(`linked to the offer${offers.length > 1 ? 's' : ''} ${offers.map((n) => `"${n}"`).join(', ')}`);
    if (!card.enrolled) parts.push('not enrolled: declined (L14)');
    if (card.name === 'expired') parts.push('expired card: declined (L54)');
    if (card.behaviour === 'slow') parts.push(`the host commits, then answers after ${fixtures.slowDelayS} s`);
    else if (card.behaviour !== 'normal') parts.push(BEHAVIOUR_WORDS[card.behaviour] ?? card.behaviour);
    return { name: card.name, behaviour: parts.join('; ') };
  });
}
