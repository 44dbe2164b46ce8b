import { z } from 'zod';
import type { ConfigProblem } from './configError.js';
import { UNSET_ENV, type ConfigDocument } from './configDocument.js';
import { CONFIG_KEYS, KEYS_BY_NAME, RENAMED_KEYS, keyAt } from './configKeys.js';
import type { ConfigIssueParams } from './configSchema.js';
import { didYouMean } from './didYouMean.js';

const SECTIONS = Object.keys(CONFIG_KEYS);

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKey(path: readonly string[], doc: ConfigDocument): ConfigProblem {
  const dotted = path.join('.');
  const key = path[path.length - 1] ?? '';
  const section = path.length > 1 ? path[0] : undefined;
  const known = section === undefined ? SECTIONS : Object.keys(KEYS_BY_NAME[section] ?? {});
  const renamed = RENAMED_KEYS[dotted];
  let hint = renamed === undefined ? undefined : `did you mean "${renamed}"?`;
  if (hint === undefined) {
    const near = didYouMean(key, known);
    if (near !== undefined) hint = `did you mean "${section === undefined ? '' : `${section}.`}${near}"?`;
  }
  if (hint === undefined && section !== undefined) {
    const elsewhere = SECTIONS.find((s) => Object.keys(KEYS_BY_NAME[s] ?? {}).includes(key));
    if (elsewhere !== undefined) hint = `did you mean "${elsewhere}.${key}"? (it belongs in the ${elsewhere} section)`;
  }
  return { path: dotted, ...doc.keyPositionOf(path), message: `unknown key "${dotted}"${hint === undefined ? '' : `: ${hint}`}`, expected: `one of ${known.join(', ')}` };
}

function fileProblem(issue: z.core.$ZodIssue): ConfigProblem {
  const input: unknown = issue.input;
  if (input === null || input === undefined) {
    return { path: '', line: 1, column: 1, message: 'the config file is empty', expected: 'the sections terminal, reader, host and queue (print a template with `pos-agent config init`)' };
  }
  return { path: '', line: 1, column: 1, message: `the config file holds ${describe(input)}, not a mapping of sections`, expected: 'sections such as "terminal:" and "host:" at the top level' };
}

function sectionProblem(section: string, issue: z.core.$ZodIssue, doc: ConfigDocument): ConfigProblem {
  const first = Object.keys(KEYS_BY_NAME[section] ?? {})[0] ?? 'key';
  return {
    path: section,
    ...doc.positionOf([section]),
    value: issue.input,
    message: `"${section}" must be a section (a mapping of keys), not ${describe(issue.input)}`,
    expected: `indented keys under "${section}:", e.g. ${first}: ...`,
  };
}

function keyProblem(section: string, name: string, issue: z.core.$ZodIssue, doc: ConfigDocument): ConfigProblem | undefined {
  const found = keyAt(section, name);
  if (found === undefined) return undefined;
  const { schema, info } = found;
  const dotted = `${section}.${name}`;
  // The discriminator's issue carries the whole section as its input.
  const input: unknown = issue.code === 'invalid_union' && isRecord(issue.input) ? issue.input[name] : issue.input;
  if (input === UNSET_ENV) return undefined;
  const shown = info.secret === true || input === undefined ? {} : { value: input };
  if (issue.code === 'custom') {
    const p: ConfigIssueParams = issue.params ?? {};
    return { path: dotted, ...doc.positionOf(p.at ?? [section, name]), ...shown, message: issue.message, expected: p.expected ?? info.expected };
  }
  if (input === undefined) {
    return { path: dotted, ...doc.positionOf([section, name]), message: `"${dotted}" is required${info.requiredWith ?? ''}`, expected: `${name}: ${info.expected}, under "${section}:"` };
  }
  const isText = !(schema instanceof z.ZodNumber || schema instanceof z.ZodBoolean);
  const message =
    isText && typeof input === 'number' && info.secret !== true
      ? `"${dotted}" is a number; write it as a string in quotes: ${name}: "${String(input)}"`
      : `invalid value for "${dotted}"${input === null ? ' (it is empty)' : ''}`;
  return { path: dotted, ...doc.positionOf([section, name]), ...shown, message, expected: info.expected };
}

/**
 * The schema's issues as problems a technician can act on: each names the
 * key, the line and column it was written at, and what is accepted. An issue
 * about a value whose `${ENV}` is unset is left out: the document reported it.
 */
export function configProblems(issues: readonly z.core.$ZodIssue[], doc: ConfigDocument): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  const push = (p: ConfigProblem | undefined): void => {
    if (p === undefined || seen.has(`${p.path}\n${p.message}`)) return;
    seen.add(`${p.path}\n${p.message}`);
    out.push(p);
  };
  for (const issue of issues) {
    if (issue.input === UNSET_ENV) continue;
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) push(unknownKey([...path, k], doc));
    } else if (path.length === 0) {
      push(fileProblem(issue));
    } else if (path.length === 1) {
      push(sectionProblem(path[0] ?? '', issue, doc));
    } else {
      push(keyProblem(path[0] ?? '', path[1] ?? '', issue, doc));
    }
  }
  return out;
}
