import type { preHandlerAsyncHookHandler } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { finish } from '../faults.js';
import { LedgerError, type AccountCatalog } from '../ledger/index.js';
import { asRecord } from './fields.js';

const PREFIX = '/api/v1/loyalty';

/** A string field or 1013 (the seed's only answer for a bad account or product request). */
const idField = (src: Record<string, unknown>, key: string): string => {
  const v = src[key];
  if (typeof v !== 'string') throw LedgerError.of('invalid-identifier');
  return v;
};

/** Path parameters are strings; what an id may be is the catalog's rule (1013), checked after authentication. */
const AccountParams = z.object({ accountId: z.string() });

export interface CatalogRouteDeps {
  catalog: AccountCatalog;
  auth: preHandlerAsyncHookHandler;
}

/**
 * Create Account, Create Product, Associate Product (seed). Each answers 201
 * `{}`. Bodies are read by the seed's rules in the handler, after
 * authentication: any bad field is 1013.
 */
export const catalogRoutes: FastifyPluginCallbackZod<CatalogRouteDeps> = (app, deps, done) => {
  const opts = { preHandler: deps.auth };

  app.post(`${PREFIX}/accounts`, opts, async (req, reply) => {
    deps.catalog.createAccount(idField(asRecord(req.body), 'accountId'));
    return finish(req, reply, 201, {});
  });

  app.post(`${PREFIX}/products`, opts, async (req, reply) => {
    const b = asRecord(req.body);
    deps.catalog.createProduct(idField(b, 'productId'), idField(b, 'productType'));
    return finish(req, reply, 201, {});
  });

  app.post(`${PREFIX}/accounts/:accountId/products`, { ...opts, schema: { params: AccountParams } }, async (req, reply) => {
    const b = asRecord(req.body);
    deps.catalog.associateProduct(req.params.accountId, idField(b, 'productId'), idField(b, 'productType'));
    return finish(req, reply, 201, {});
  });
  done();
};
