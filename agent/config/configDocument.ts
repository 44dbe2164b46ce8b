import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import type { ConfigProblem } from './configError.js';
import { keyAt } from './configKeys.js';

/** 1-based line and column. */
export interface Pos {
  line: number;
  column: number;
}

/** The value of a key whose `${NAME}` names an unset variable: it fails every key's schema, and its problem is already reported. */
export const UNSET_ENV: unique symbol = Symbol('unset environment variable');

const ENV_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const START: Pos = { line: 1, column: 1 };

const keyText = (key: unknown): string => (isScalar(key) ? String(key.value) : String(key));

/** A parsed config file: its plain value (what the schema validates) and where each key and value was written. */
export interface ConfigDocument {
  /** Plain value of the file, `${ENV}` substituted; null for an empty file. */
  readonly data: unknown;
  /** Syntax errors (then `data` is not validated) and unset environment variables. */
  readonly problems: readonly ConfigProblem[];
  readonly syntaxError: boolean;
  /** Where the value at `path` was written; else the key of its section; else the top of the file. */
  positionOf(path: readonly PropertyKey[]): Pos;
  /** Where the key at `path` was written; else as {@link positionOf} its section. */
  keyPositionOf(path: readonly PropertyKey[]): Pos;
  /** True when the value at `path` is written in the file itself, not taken from `${ENV}`. */
  isInline(path: readonly PropertyKey[]): boolean;
}

/**
 * Parses YAML keeping node positions (through the `yaml` Document and a
 * LineCounter), and substitutes `${NAME}` in every string value from `env`.
 * A substituted value of a number or true/false key becomes that number or
 * boolean. An unset variable is a problem naming it.
 */
export function configDocument(text: string, env: Readonly<Record<string, string | undefined>>): ConfigDocument {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const at = (offset: number): Pos => {
    const lp = lineCounter.linePos(offset);
    return { line: lp.line, column: lp.col };
  };
  const valueNodePos = (path: readonly PropertyKey[]): Pos | undefined => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    return isNode(node) && node.range ? at(node.range[0]) : undefined;
  };
  const keyNodePos = (path: readonly PropertyKey[]): Pos | undefined => {
    const parent = path.length <= 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((p) => keyText(p.key) === String(path[path.length - 1]));
    return isNode(pair?.key) && pair.key.range ? at(pair.key.range[0]) : undefined;
  };
  const sectionPos = (path: readonly PropertyKey[]): Pos => (path.length === 0 ? START : (keyNodePos(path.slice(0, 1)) ?? START));

  const problems: ConfigProblem[] = doc.errors.map((e) => ({
    path: '',
    line: e.linePos?.[0].line ?? 1,
    column: e.linePos?.[0].col ?? 1,
    message: `YAML syntax error: ${e.message.split(/ at line \d+, column \d+/)[0] ?? e.message}`,
    expected: 'valid YAML: "key: value" pairs, nested sections indented by two spaces',
  }));
  const syntaxError = problems.length > 0;
  /** Dotted paths of the values that name an environment variable. */
  const fromEnv = new Set<string>();

  if (!syntaxError) {
    visit(doc, {
      Scalar(key, node, ancestors) {
        if (key === 'key' || typeof node.value !== 'string') return;
        const raw = node.value;
        if (raw.search(ENV_RE) < 0) return;
        const keys = ancestors.filter(isPair).map((p) => keyText(p.key));
        const dotted = keys.join('.');
        fromEnv.add(dotted);
        let unset = false;
        const value = raw.replace(ENV_RE, (whole, name: string) => {
          const v = env[name];
          if (v !== undefined) return v;
          unset = true;
          const pos = node.range ? at(node.range[0]) : START;
          problems.push({ path: dotted, ...pos, message: `"${dotted}" uses environment variable ${name}, which is not set`, expected: `${name} set in the agent's environment, or a literal value` });
          return whole;
        });
        const schema = keyAt(keys[0], keys[1])?.schema;
        if (unset) node.value = UNSET_ENV;
        else if (schema instanceof z.ZodNumber && /^-?[0-9]+$/.test(value)) node.value = Number(value);
        else if (schema instanceof z.ZodBoolean && (value === 'true' || value === 'false')) node.value = value === 'true';
        else node.value = value;
      },
    });
  }

  const data: unknown = syntaxError ? undefined : doc.toJS();
  return {
    data,
    problems,
    syntaxError,
    positionOf: (path) => valueNodePos(path) ?? sectionPos(path),
    keyPositionOf: (path) => keyNodePos(path) ?? sectionPos(path),
    isInline: (path) => doc.hasIn(path) && !fromEnv.has(path.map(String).join('.')),
  };
}
