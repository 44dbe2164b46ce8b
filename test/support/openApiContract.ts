import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';

/** The parts of an OpenAPI 3.1 document these checks read. */
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
}

/**
 * Every (METHOD, path) the app serves, read from fastify's own route tree
 * (`printRoutes`), paths in OpenAPI form (`:id` → `{id}`). HEAD routes that
 * fastify adds beside each GET are left out. Catches any route, whoever
 * registered it.
 */
export function servedRoutes(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const path = (parents[depth - 1] ?? '') + (m[2] ?? '');
    parents[depth] = path;
    parents.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter((x) => x !== '' && x !== 'HEAD')) {
      routes.push(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    }
  }
  return routes;
}

/** Every (METHOD, path) the document describes. */
export function documentedRoutes(doc: OpenApiDoc): string[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
}

/** The document's path template that a concrete URL path matches (`/v1/operations/abc` → `/v1/operations/{reference}`). */
export function templateOf(doc: OpenApiDoc, urlPath: string): string | undefined {
  return Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(urlPath));
}

/**
 * Checks answers against the document's response schemas with ajv (JSON
 * Schema 2020-12, as OpenAPI 3.1 uses). An answer whose status the document
 * does not list fails, as does one whose body its schema refuses.
 */
export class ResponseChecker {
  readonly #doc: OpenApiDoc;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDoc) {
    this.#doc = doc;
  }

  /** The problems with one answer, as text; [] when it is as documented. */
  problems(method: string, url: string, status: number, body: unknown): string[] {
    const path = url.split('?')[0] ?? url;
    const template = templateOf(this.#doc, path);
    if (!template) return [`${method} ${path}: no such path in the document`];
    const op = this.#doc.paths[template]?.[method.toLowerCase()];
    if (!op) return [`${method} ${template}: no such operation in the document`];
    const response = op.responses?.[String(status)];
    if (!response) return [`${method} ${template} answered ${status}, which the document does not list`];
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return [`${method} ${template} ${status}: the document has no JSON schema for it`];
    const key = `${method} ${template} ${status}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || 'body'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
  }
}
