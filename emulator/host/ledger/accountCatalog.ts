import type Database from 'better-sqlite3';
import { classifyIdentifier, type IdentifierKind } from '../../../protocol/loyalty/index.js';
import type { Clock } from '../clock.js';
import type { Ledger } from './ledger.js';
import { LedgerError } from './ledgerError.js';

/** An account or product id: 1–64 printable characters, no whitespace (the seed: "should not contain space"). */
const ID_RE = /^[^\s]{1,64}$/;

const isDuplicate = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

/**
 * Loyalty accounts and products (seed: Create Account, Create Product,
 * Associate Product). A bad id gets 1013 "Account Creation Error [UMI Format]",
 * a duplicate 2020 "Duplicate Account Not Allowed", exactly as the seed shows
 * for all three calls. An account id that is a valid mobile, email or
 * referral identifier also enrols a member with that identifier (so the new
 * account can earn and burn).
 */
export class AccountCatalog {
  private readonly insertAccount: Database.Statement;
  private readonly getAccount: Database.Statement;
  private readonly insertProduct: Database.Statement;
  private readonly getProduct: Database.Statement;
  private readonly link: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
  ) {
    this.insertAccount = db.prepare('INSERT INTO loyalty_accounts (account_id, created_at) VALUES (?, ?)');
    this.getAccount = db.prepare('SELECT 1 FROM loyalty_accounts WHERE account_id = ?');
    this.insertProduct = db.prepare('INSERT INTO products (product_id, product_type, created_at) VALUES (?, ?, ?)');
    this.getProduct = db.prepare('SELECT 1 FROM products WHERE product_id = ?');
    this.link = db.prepare('INSERT INTO account_products (account_id, product_id, created_at) VALUES (?, ?, ?)');
  }

  createAccount(accountId: string): void {
    checkId(accountId);
    this.db.transaction(() => {
      try {
        this.insertAccount.run(accountId, this.clock());
      } catch (err) {
        if (isDuplicate(err)) throw LedgerError.of('duplicate');
        throw err;
      }
      let kind: IdentifierKind | undefined;
      try {
        kind = classifyIdentifier(accountId);
      } catch {
        kind = undefined;
      }
      if (kind) this.ledger.enrol(accountId, kind, 'account');
    }).immediate();
  }

  createProduct(productId: string, productType: string): void {
    checkId(productId);
    checkId(productType);
    try {
      this.insertProduct.run(productId, productType, this.clock());
    } catch (err) {
      if (isDuplicate(err)) throw LedgerError.of('duplicate');
      throw err;
    }
  }

  /** Links a product to an existing account, creating the product first when it is missing. */
  associateProduct(accountId: string, productId: string, productType: string): void {
    checkId(accountId);
    checkId(productId);
    checkId(productType);
    this.db.transaction(() => {
      if (!this.getAccount.get(accountId)) throw LedgerError.of('unknown-card', 'Loyalty account not found');
      if (!this.getProduct.get(productId)) this.insertProduct.run(productId, productType, this.clock());
      try {
        this.link.run(accountId, productId, this.clock());
      } catch (err) {
        if (isDuplicate(err)) throw LedgerError.of('duplicate');
        throw err;
      }
    }).immediate();
  }
}

function checkId(id: string): void {
  if (!ID_RE.test(id)) throw LedgerError.of('invalid-identifier');
}
