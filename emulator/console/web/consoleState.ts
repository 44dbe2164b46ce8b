/** The live state the console server pushes to the page (`GET /api/events`, event `state`), which every panel reads. */

export type Json = Record<string, unknown>;

export interface FigureRow {
  words: string;
  count: number;
}

/** The `refusals` part of the pushed state. */
export interface Refusals {
  heardNo: FigureRow[];
  yesThenRefused: { total: number; byReason: FigureRow[] };
}

export interface Step {
  name: string;
  at: string;
  ms: number;
}
export interface Operation {
  id: number;
  label: string;
  reference: string | null;
  cashier: string;
  status: number | null;
  raw: Json | null;
  steps: Step[];
}
export interface QueueItem {
  id: number;
  transactionId: string;
  kind: string;
  state: string;
  maskedPan: string;
  attempts: number;
  offline: boolean;
  deadReason: string | null;
  lastError: string | null;
}
export interface ConsoleState {
  cards: { name: string; behaviour: string }[];
  host: { online: boolean; faults: Json | null };
  reader: Json;
  health: Json | null;
  queue: { stats: Json; forwarder: Json; items: QueueItem[]; done: number } | null;
  ledger: { cards: { name: string; pan: string; accounts: { accountId: string; balance: number }[] }[]; entries: { time: string; kind: string; points: number; balanceAfter: number; transactionId: string }[] } | null;
  operations: Operation[];
  refusals: Refusals;
}
