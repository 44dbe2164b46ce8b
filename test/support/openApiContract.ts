import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';

/** The parts of an OpenAPI 3.1 document these checks read. */
export interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** The parts of an operation these checks read. */
export interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: object }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: object }> };
  responses?: Record<string, { content?: Record<string, { schema?: object }>; headers?: Record<string, { required?: boolean }> }>;
}

/** What the HTTP exchange said besides the status and the body, for {@link ResponseChecker.problems}. */
export interface AnswerMeta {
  /** The answer's Content-Type header: its media type must be one the document lists for the status. */
  contentType?: string;
  /** The answer's headers (lower-case names): every header the document marks required must be there. */
  headers?: Record<string, string | string[] | undefined>;
}

/** `text/plain; charset=utf-8` → `text/plain`. */
const mediaType = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

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
 * does not list fails, as does one whose body its schema refuses. Given the
 * answer's Content-Type, the body is checked against that media type's schema
 * (one the document does not list for the status fails; a text body is checked
 * as the string it is); given its headers, those the document requires must
 * be there.
 */
export class ResponseChecker {
  readonly #doc: OpenApiDoc;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDoc) {
    this.#doc = doc;
  }

  /** The problems with one answer, as text; [] when it is as documented. */
  problems(method: string, url: string, status: number, body: unknown, meta: AnswerMeta = {}): string[] {
    const path = url.split('?')[0] ?? url;
    const template = templateOf(this.#doc, path);
    if (!template) return [`${method} ${path}: no such path in the document`];
    const op = this.#doc.paths[template]?.[method.toLowerCase()];
    if (!op) return [`${method} ${template}: no such operation in the document`];
    const response = op.responses?.[String(status)];
    if (!response) return [`${method} ${template} answered ${status}, which the document does not list`];
    const key = `${method} ${template} ${status}`;
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.required === true && meta.headers !== undefined && meta.headers[name.toLowerCase()] === undefined) problems.push(`${key}: no ${name} header, which the document requires`);
    }
    const media = meta.contentType === undefined ? 'application/json' : mediaType(meta.contentType);
    const schema = response.content?.[media]?.schema;
    if (!schema) return [...problems, `${key}: the document has no ${media} schema for it (it lists ${Object.keys(response.content ?? {}).join(', ') || 'no content'})`];
    const validate = compiled(this.#ajv, this.#compiled, `${key} ${media}`, schema);
    if (validate(body)) return problems;
    return [...problems, ...(validate.errors ?? []).map((e) => `${key}: ${e.instancePath || 'body'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`)];
  }
}

function compiled(ajv: Ajv2020, cache: Map<string, ValidateFunction>, key: string, schema: object): ValidateFunction {
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    cache.set(key, validate);
  }
  return validate;
}

/** One request as sent, for {@link RequestChecker.problems}. */
export interface SentRequest {
  method: string;
  /** The path as sent, percent-encoded, with its query. */
  url: string;
  /** The body as sent; undefined for none. */
  body?: string;
  /** The Content-Type sent (with a body, or alone); undefined for none. */
  contentType?: string;
}

/**
 * Checks requests against the document's request side with ajv: its path and
 * query parameters (each against its schema, query values read as the number
 * or string their schema types; a required one missing, or one the document
 * does not name, fails) and its request body (a body where the document names
 * none, none where it is required, a media type it does not list, JSON that
 * does not parse, or a value its schema refuses). [] when the document
 * accepts the request.
 */
export class RequestChecker {
  readonly #doc: OpenApiDoc;
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDoc) {
    this.#doc = doc;
  }

  problems(req: SentRequest): string[] {
    const [rawPath = '', query = ''] = req.url.split('?', 2);
    const template = templateOf(this.#doc, rawPath);
    if (!template) return [`${req.method} ${rawPath}: no such path in the document`];
    const op = this.#doc.paths[template]?.[req.method.toLowerCase()];
    if (!op) return [`${req.method} ${template}: no such operation in the document`];
    const key = `${req.method} ${template}`;
    return [...this.#parameterProblems(key, op, template, rawPath, new URLSearchParams(query)), ...this.#bodyProblems(key, op, req)];
  }

  #parameterProblems(key: string, op: OpenApiOperation, template: string, rawPath: string, query: URLSearchParams): string[] {
    const problems: string[] = [];
    /** `in name` → the value sent, decoded. */
    const values = new Map<string, string>();
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    const match = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`).exec(rawPath);
    for (const [i, name] of names.entries()) {
      try {
        values.set(`path ${name}`, decodeURIComponent(match?.[i + 1] ?? ''));
      } catch {
        problems.push(`${key}: path parameter ${name} is not valid percent-encoding`);
      }
    }
    for (const [name, value] of query) values.set(`query ${name}`, value);
    const documented = new Set((op.parameters ?? []).map((p) => `${p.in} ${p.name}`));
    for (const sent of values.keys()) if (!documented.has(sent)) problems.push(`${key}: ${sent} is not a parameter of the document`);
    for (const p of op.parameters ?? []) {
      const value = values.get(`${p.in} ${p.name}`);
      if (value === undefined) {
        if (p.required === true && p.in !== 'path') problems.push(`${key}: ${p.in} parameter ${p.name} is required`);
        continue;
      }
      const schema = p.schema ?? {};
      const type = (schema as { type?: unknown }).type;
      // A query or path value is text on the wire: read it as the type its schema names, as a client library would.
      const typed: unknown = (type === 'integer' || type === 'number') && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
      const validate = compiled(this.#ajv, this.#compiled, `${key} ${p.in} ${p.name}`, schema);
      if (!validate(typed)) problems.push(...(validate.errors ?? []).map((e) => `${key}: ${p.in} parameter ${p.name} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`));
    }
    return problems;
  }

  #bodyProblems(key: string, op: OpenApiOperation, req: SentRequest): string[] {
    // A Content-Type with an empty body declares a body: an empty one, which is no JSON.
    const sent = req.body !== undefined || req.contentType !== undefined;
    if (!sent) return op.requestBody?.required === true ? [`${key}: the document requires a request body`] : [];
    if (!op.requestBody) return [`${key}: the document names no request body`];
    const media = mediaType(req.contentType ?? '');
    const schema = op.requestBody.content?.[media]?.schema;
    if (!schema) return [`${key}: the document lists no ${media || 'untyped'} request body (it lists ${Object.keys(op.requestBody.content ?? {}).join(', ')})`];
    let value: unknown;
    try {
      value = JSON.parse(req.body ?? '');
    } catch {
      return [`${key}: the request body is not JSON`];
    }
    const validate = compiled(this.#ajv, this.#compiled, `${key} body ${media}`, schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${key}: body${e.instancePath} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`);
  }
}
