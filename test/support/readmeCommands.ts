/**
 * Commands as a README documents them, so a test runs exactly what the reader is told to type: the first fenced
 * code block after a marker, its indentation (a block inside a list item) removed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The text of the first fenced block (```) that follows the first occurrence of `marker` in the Markdown file
 * `file` (relative to the project root), without its fences and with the fence's indentation removed from each
 * line. Throws when the marker or the block is missing, so a test of it fails instead of running nothing.
 */
export function fencedBlockAfter(file: string, marker: string): string {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file} has no "${marker}"`);
  const lines = text.slice(at).split('\n');
  const open = lines.findIndex((l) => /^\s*```/.test(l));
  if (open < 0) throw new Error(`${file} has no code block after "${marker}"`);
  const indent = /^\s*/.exec(lines[open] as string)?.[0].length ?? 0;
  const close = lines.findIndex((l, i) => i > open && /^\s*```\s*$/.test(l));
  if (close < 0) throw new Error(`${file}: the code block after "${marker}" is not closed`);
  return lines.slice(open + 1, close).map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)?.[0].length ?? 0))).join('\n') + '\n';
}

/**
 * npm's variables for a script (`npm test`) that would change where or how a nested npm installs, and CI's
 * `npm_config_build_from_source` (npm 11 warns that it is no config of its own; a test that wants it sets it).
 */
const NPM_SCRIPT_VARS = /^npm_(config_(prefix|global_prefix|local_prefix|allow_scripts|build_from_source)|package_|lifecycle_)/i;

/**
 * `process.env` without vitest's variables and without those npm sets for `npm test` that decide where a nested
 * npm installs (`npm_config_prefix=/usr`, ...); npm's others (`npm_config_nodedir` for a Node 24 pass) stay.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([k]) => !NPM_SCRIPT_VARS.test(k) && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS' && k !== 'FORCE_COLOR');
  return { ...Object.fromEntries(kept), NO_COLOR: '1', ...extra };
}
