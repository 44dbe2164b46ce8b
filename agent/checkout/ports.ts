import type { Logger } from 'pino';
import type { CardReader } from '../reader/cardReader.js';
import type { CardRef, HostClient } from '../host/hostClient.js';

/** A queued operation as the checkout sees it. */
export interface QueuedRef {
  id: number;
  transactionId: string;
}

/**
 * The part of the durable queue (agent/queue) the checkout flows use. Every
 * method commits before it returns (rule 1: durable first).
 */
export interface CheckoutQueue {
  enqueue(op: { kind: 'earn'; card: CardRef; payload: { amount: number; timeStamp: string; reference?: string }; transactionId: string }): QueuedRef;
  tryEnqueueOfflineBurn(op: {
    card: CardRef;
    payload: { points: number; reference?: string };
    transactionId: string;
  }): { ok: true; op: QueuedRef } | { ok: false; reason: string };
  /** Records an operation the checkout sends itself, in state `sending`, before the send. */
  beginDirect(op: {
    kind: 'burn' | 'offer-redeem';
    card: CardRef;
    payload: Record<string, unknown>;
    transactionId: string;
  }): QueuedRef;
  completeDirect(id: number, result: unknown): void;
  rejectDirect(id: number, reason: string): void;
  /** Unknown outcome: for a burn, closes it and queues its reversal in one transaction; otherwise leaves it for the forwarder to resend with the same id. */
  unknownOutcome(id: number, reason: string): QueuedRef;
}

/** The forwarder as the checkout sees it. */
export interface CheckoutForwarder {
  readonly online: boolean;
  /** Asks the forwarder to look at the queue now (does not wait). */
  wake(): void;
}

export interface CheckoutDeps {
  reader: CardReader;
  host: HostClient;
  queue: CheckoutQueue;
  forwarder: CheckoutForwarder;
  logger: Logger;
  /** Local clock, for the seed's timeStamp fields. */
  now: () => Date;
}
