import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigProblem } from './configError.js';

/** 1-based line and column. */
export interface Pos {
  line: number;
  column: number;
}

/** A YAML file turned into plain values, with where each key and value was written. */
export interface YamlTree {
  /** Plain JS value of the document (undefined for an empty file). */
  value: unknown;
  /** Dotted path → position of the value. */
  valuePos: Map<string, Pos>;
  /** Dotted path → position of the key. */
  keyPos: Map<string, Pos>;
  /** Paths whose string value came (at least partly) from `${ENV}` substitution. */
  substituted: Set<string>;
  /** Syntax errors and missing environment variables. */
  problems: ConfigProblem[];
}

const ENV_RE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const START: Pos = { line: 1, column: 1 };

/**
 * Parses YAML keeping node positions, and substitutes `${NAME}` in every
 * string scalar from `env`. A missing variable is a problem naming it (the
 * value is left as written). Syntax errors become problems with line/column.
 */
export function yamlTree(text: string, env: Readonly<Record<string, string | undefined>>): YamlTree {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const tree: YamlTree = { value: undefined, valuePos: new Map(), keyPos: new Map(), substituted: new Set(), problems: [] };
  const at = (offset: number | undefined): Pos => {
    if (offset === undefined) return START;
    const lp = lineCounter.linePos(offset);
    return { line: lp.line, column: lp.col };
  };

  for (const e of doc.errors) {
    const lp = e.linePos?.[0];
    tree.problems.push({
      path: '',
      line: lp?.line ?? 1,
      column: lp?.col ?? 1,
      message: `YAML syntax error: ${e.message.split(/ at line \d+, column \d+/)[0] ?? e.message}`,
      expected: 'valid YAML: "key: value" pairs, nested sections indented by two spaces',
    });
  }
  if (doc.errors.length > 0) return tree;

  const substitute = (raw: string, path: string, pos: Pos): string =>
    raw.replace(ENV_RE, (whole, name: string) => {
      tree.substituted.add(path);
      const v = env[name];
      if (v === undefined) {
        tree.problems.push({
          path,
          ...pos,
          message: `"${path}" uses environment variable ${name}, which is not set`,
          expected: `${name} set in the agent's environment, or a literal value`,
        });
        return whole;
      }
      return v;
    });

  const walk = (node: unknown, path: string, depth: number): unknown => {
    if (depth > 32) return undefined;
    let n = node as Node | null | undefined;
    if (isAlias(n)) n = n.resolve(doc as Document) as Node | undefined;
    if (n === null || n === undefined) return null;
    const pos = at(n.range?.[0]);
    if (path !== '') tree.valuePos.set(path, pos);
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      for (const pair of n.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = path === '' ? key : `${path}.${key}`;
        const keyNode = pair.key as Node | null;
        tree.keyPos.set(child, at(keyNode?.range?.[0]));
        obj[key] = walk(pair.value, child, depth + 1);
        if (!tree.valuePos.has(child)) tree.valuePos.set(child, at(keyNode?.range?.[0]));
      }
      return obj;
    }
    if (isSeq(n)) return n.items.map((item, i) => walk(item, path === '' ? String(i) : `${path}.${i}`, depth + 1));
    if (isScalar(n)) return typeof n.value === 'string' ? substitute(n.value, path, pos) : n.value;
    return undefined;
  };
  tree.value = walk(doc.contents, '', 0);
  return tree;
}
