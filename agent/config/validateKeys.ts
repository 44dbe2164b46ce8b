import type { ConfigProblem } from './configError.js';
import { CONFIG_KEYS, RENAMED_KEYS, type KeySpec } from './configKeys.js';
import { didYouMean } from './didYouMean.js';
import type { Pos, YamlTree } from './yamlTree.js';

/** Values that passed their key's checks, by section then key. Invalid or unknown keys are absent. */
export type ValidValues = Record<string, Record<string, unknown>>;

const SECTIONS = Object.keys(CONFIG_KEYS);

function coerce(spec: KeySpec, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (spec.kind === 'int' && /^-?[0-9]+$/.test(value)) return Number(value);
  if (spec.kind === 'bool' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function unknownKey(path: string, key: string, known: readonly string[], pos: Pos): ConfigProblem {
  const renamed = RENAMED_KEYS[path];
  let hint = renamed === undefined ? undefined : `did you mean "${renamed}"?`;
  if (hint === undefined) {
    const near = didYouMean(key, known);
    if (near !== undefined) hint = `did you mean "${path.slice(0, path.length - key.length)}${near}"?`;
  }
  if (hint === undefined && path.includes('.')) {
    const elsewhere = SECTIONS.find((s) => Object.keys(CONFIG_KEYS[s] ?? {}).includes(key));
    if (elsewhere !== undefined) hint = `did you mean "${elsewhere}.${key}"? (it belongs in the ${elsewhere} section)`;
  }
  return {
    path,
    ...pos,
    message: `unknown key "${path}"${hint === undefined ? '' : `: ${hint}`}`,
    expected: `one of ${known.join(', ')}`,
  };
}

/**
 * First pass: unknown keys (with a suggestion), sections that are not
 * mappings, and each present key's type and semantic check. Pushes every
 * problem found; returns the values that passed (undefined when the file
 * is not a mapping at all).
 */
export function validateKeys(tree: YamlTree, problems: ConfigProblem[]): ValidValues | undefined {
  const out: ValidValues = {};
  const root = tree.value;
  if (root === undefined || root === null) {
    problems.push({
      path: '',
      line: 1,
      column: 1,
      message: 'the config file is empty',
      expected: 'the sections terminal, reader, host and queue (print a template with `pos-agent config init`)',
    });
    return undefined;
  }
  if (typeof root !== 'object' || Array.isArray(root)) {
    problems.push({ path: '', line: 1, column: 1, message: `the config file holds ${describe(root)}, not a mapping of sections`, expected: 'sections such as "terminal:" and "host:" at the top level' });
    return undefined;
  }
  for (const [section, body] of Object.entries(root as Record<string, unknown>)) {
    const specs = CONFIG_KEYS[section];
    const sectionPos = tree.keyPos.get(section) ?? { line: 1, column: 1 };
    if (specs === undefined) {
      problems.push(unknownKey(section, section, SECTIONS, sectionPos));
      continue;
    }
    out[section] = {};
    if (body === null) continue; // an empty section: every key takes its default
    if (typeof body !== 'object' || Array.isArray(body)) {
      problems.push({ path: section, ...(tree.valuePos.get(section) ?? sectionPos), value: body, message: `"${section}" must be a section (a mapping of keys), not ${describe(body)}`, expected: `indented keys under "${section}:", e.g. ${Object.keys(specs)[0]}: ...` });
      continue;
    }
    for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
      const path = `${section}.${key}`;
      const spec = specs[key];
      if (spec === undefined) {
        problems.push(unknownKey(path, key, Object.keys(specs), tree.keyPos.get(path) ?? sectionPos));
        continue;
      }
      const pos = tree.valuePos.get(path) ?? sectionPos;
      if (tree.problems.some((p) => p.path === path)) continue; // missing env var: already reported
      const value = tree.substituted.has(path) ? coerce(spec, raw) : raw;
      const shown = spec.secret === true ? {} : { value };
      if (!spec.schema.safeParse(value).success) {
        const quoteIt = spec.kind === 'string' && typeof value === 'number' && spec.secret !== true;
        const message = quoteIt
          ? `"${path}" is a number; write it as a string in quotes: ${key}: "${String(value)}"`
          : `invalid value for "${path}"${value === null ? ' (it is empty)' : ''}`;
        problems.push({ path, ...pos, ...shown, message, expected: spec.expected });
        continue;
      }
      const bad = spec.check?.(value as never);
      if (bad !== undefined) {
        problems.push({ path, ...pos, ...shown, message: bad.message, expected: bad.expected ?? spec.expected });
        continue;
      }
      (out[section] as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}
