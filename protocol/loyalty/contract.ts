/**
 * Request and response shapes of the Loyalty REST API (seeds/loyalty-api.txt).
 * Field names and string-typed amounts are the seed's own.
 */

import type { Mandate } from './mandate.js';

/** `POST /passport/oauth/token` success body. */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  /** Seconds; the host always says 43199. */
  expires_in: number;
  scope: string;
  merchant_code: string;
  requestor_id: string;
  client_name: string;
  payable_id: string;
  jti: string;
}

/** `POST /passport/oauth/token` failure body (401), the seed's own. */
export interface TokenFailure {
  code: 'Unauthorized';
  description: string;
  errors: null;
}

/** One reward account balance. */
export interface AccountBalance {
  accountId: string;
  accountName: string;
  accountType: string;
  availableBalance: string;
}

/**
 * `GET /api/v1/loyalty/rewards` headers: merchantId, terminalId, PAN and
 * expiryDate (YYMM, only for a card) are HEADERS, as the seed says.
 */
export interface BalanceHeaders {
  merchantId: string;
  terminalId: string;
  PAN: string;
  expiryDate?: string;
}

/** `GET /api/v1/loyalty/rewards` query. */
export interface BalanceQuery {
  /** YYYYMMDDhhmmss, local time of the terminal. */
  timeStamp: string;
  transactionId: string;
}

/** `GET /api/v1/loyalty/rewards` and `POST rewards/earn` success body. */
export interface BalanceResponse {
  rewardTrxId: string;
  accounts: AccountBalance[];
}

/**
 * `POST /api/v1/loyalty/rewards/earn` body. The seed's sample has no PAN but
 * its table lists one: the host takes `pan` or `PAN` in the body, or the
 * `PAN` header. `amount` is in minor units, as a string.
 */
export interface EarnRequest {
  merchantId: string;
  terminalId: string;
  pan?: string;
  PAN?: string;
  expiryDate?: string;
  timeStamp: string;
  transactionId: string;
  amount: string;
}

/**
 * `POST rewards/earn` success body: the seed's balance body, plus (project extension, README "Returns and
 * voids") `earnedPoints`, the points this earn credited, so that a return can take back its share. A host
 * without the extension leaves it out.
 */
export interface EarnResponse extends BalanceResponse {
  earnedPoints?: string;
}

/** One mandate of a burn on the wire: a {@link Mandate} with `debit` (points) as a string. */
export type RedemptionMandate = Omit<Mandate, 'debit'> & { debit: string };

/**
 * `POST /api/v1/loyalty/rewards/redeem` body. The seed calls the balance's id
 * `rewardTrxId` in its table and `rewardTxnId` in its sample; both are taken.
 * `transactionId` is the client's idempotency key.
 */
export interface RedeemRequest {
  rewardTrxId?: string;
  rewardTxnId?: string;
  transactionId: string;
  /**
   * The terminal and the card, optional (also taken as headers): when given,
   * they must be what the rewardTrxId is bound to (else L30).
   */
  merchantId?: string;
  terminalId?: string;
  pan?: string;
  redemptionMandates: RedemptionMandate[];
}

export interface RedeemedAccount {
  accountId: string;
  accountType: string;
  debit: string;
  balance: string;
}

export interface RedeemResponse {
  rewardTrxId: string;
  accounts: RedeemedAccount[];
}

/** `POST /api/v1/loyalty/rewards/redeem/{transactionId}/reversal` body (optional). */
export interface ReversalRequest {
  /** This reversal's own id. */
  transactionId?: string;
  /** The terminal sending it, optional: for the host's records (the emulator does not check them). */
  merchantId?: string;
  terminalId?: string;
}

export interface ReversalResponse {
  /** The burn being reversed. */
  originalTransactionId: string;
  /** True when the host had applied the burn and has undone it (also on repeats). */
  reversed: boolean;
  accounts: RedeemedAccount[];
}

/**
 * `POST /api/v1/loyalty/rewards/earn/{transactionId}/reversal` body (project extension, README "Returns and
 * voids"): takes back points an earn credited. No PAN: the original names the card.
 */
export interface EarnReversalRequest {
  /** This reversal's own id: the idempotency key. */
  transactionId: string;
  /** Points to take back, a string of digits > 0; absent: all the earn still has. */
  points?: string;
  /** When given (body or header), must be the earn's. */
  merchantId?: string;
  terminalId?: string;
}

export interface EarnReversalResponse {
  /** The earn being reversed. */
  originalTransactionId: string;
  /** This reversal's id. */
  transactionId: string;
  /** Points this reversal took back. */
  points: string;
  /** Points the earn still has credited after it (0: fully reversed). */
  remaining: string;
  /** The account debited, with its balance after. */
  accounts: RedeemedAccount[];
}

/**
 * `POST /api/v1/loyalty/rewards/redeem/{transactionId}/refund` body (project extension): gives back points a
 * burn debited, at most what it debited net of earlier refunds. No PAN.
 */
export interface RefundRequest {
  /** This refund's own id: the idempotency key. */
  transactionId: string;
  /** Points to give back, a string of digits > 0. */
  points: string;
  merchantId?: string;
  terminalId?: string;
}

export interface RefundResponse {
  /** The burn refunded. */
  originalTransactionId: string;
  transactionId: string;
  /** Points this refund gave back. */
  points: string;
  /** Points of the burn still refundable after it. */
  remaining: string;
  /** The accounts credited (`debit` = points credited back, `balance` = balance after), in the order credited. */
  accounts: RedeemedAccount[];
}

/** `POST /api/v1/loyalty/accounts` body. No spaces allowed (1013). */
export interface CreateAccountRequest {
  accountId: string;
}

/** `POST /api/v1/loyalty/products` and `POST accounts/{accountId}/products` body. */
export interface CreateProductRequest {
  productId: string;
  productType: string;
}

/** `GET /api/v1/loyalty/transactions` query (seed names; `page`/`pageSize` are the host's paging). */
export interface TransactionsQuery {
  productType?: string;
  productId?: string;
  pan?: string;
  expiryDate?: string;
  /** YYYYMMDD, inclusive. */
  startDate?: string;
  /** YYYYMMDD, inclusive. */
  endDate?: string;
  /** 1-based, default 1. */
  page?: string;
  /** Default 20, at most 100. */
  pageSize?: string;
}

export interface TransactionProduct {
  productId: string;
  productType: string;
  productStatus: string | null;
  pan: string | null;
  expiryDate: string | null;
}

export interface TransactionRecord {
  id: number;
  linkId: number;
  /** `dd-MM-yyyy HH:mm:ss`, UTC. */
  date: string;
  name: string;
  transactionValue: string;
  transactionRewardValue: number;
  transactionRewardPool: string;
  totalRewardValue: number;
  merchant: string | null;
  deviceId: string;
  extRef: string;
  product: TransactionProduct;
}

export interface TransactionsResponse {
  transactions: TransactionRecord[];
  totalRecords: string;
  totalPages: string;
}
