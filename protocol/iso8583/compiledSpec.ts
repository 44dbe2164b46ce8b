import { CHARSETS, CHARSET_NAMES, type CharsetTable } from './charset.js';
import type { FieldKind, FieldSpec, MessageSpec } from './fieldSpec.js';
import { Iso8583Error } from './iso8583Error.js';

/** One field's spec, flattened for the hot loops. */
export interface CompiledField {
  id: number;
  /** `unpack field 35 (Track 2 Data)` / `pack field ...` prefixes are built from this. */
  label: string;
  kind: FieldKind;
  binary: boolean;
  charset: CharsetTable;
  charsetName: string;
  /** Fixed length or maximum. */
  length: number;
  /** 0 for fixed, 2 for LL, 3 for LLL. */
  prefixDigits: number;
  /** Pad byte (0x30 or 0x20) for fixed fields with padding, else -1. */
  padByte: number;
  padLeft: boolean;
}

/** A spec checked once and indexed by field number (0–128; holes are undefined). */
export interface CompiledSpec {
  fields: ReadonlyArray<CompiledField | undefined>;
}

const KINDS: ReadonlySet<string> = new Set(['n', 'an', 'ans', 'z', 'b']);
const cache = new WeakMap<MessageSpec, CompiledSpec>();

function bad(id: number, what: string): never {
  throw new Iso8583Error('ISO_ERR_SPEC', `spec field ${id}: ${what}`, { field: id });
}

function compileField(id: number, s: FieldSpec): CompiledField {
  if (!KINDS.has(s.kind)) bad(id, `kind must be one of n, an, ans, z, b`);
  if (typeof s.description !== 'string' || s.description.length === 0) bad(id, 'description must be a non-empty string');
  if (!Number.isInteger(s.length) || s.length < 1) bad(id, 'length must be a positive integer');
  let prefixDigits: number;
  if (s.prefix === 'fixed') prefixDigits = 0;
  else if (s.prefix === 'LL') prefixDigits = 2;
  else if (s.prefix === 'LLL') prefixDigits = 3;
  else bad(id, 'prefix must be fixed, LL or LLL');
  if (prefixDigits === 2 && s.length > 99) bad(id, 'an LL field holds at most 99');
  if (prefixDigits === 3 && s.length > 999) bad(id, 'an LLL field holds at most 999');
  let padByte = -1;
  if (s.pad === 'zero-left') {
    if (s.kind !== 'n' || prefixDigits !== 0) bad(id, 'zero-left padding is only for fixed n fields');
    padByte = 0x30;
  } else if (s.pad === 'space-right') {
    if ((s.kind !== 'an' && s.kind !== 'ans') || prefixDigits !== 0) bad(id, 'space-right padding is only for fixed an/ans fields');
    padByte = 0x20;
  } else if (s.pad !== 'none') {
    bad(id, 'pad must be zero-left, space-right or none');
  }
  if ((id === 64 || id === 128) && !(s.kind === 'b' && prefixDigits === 0 && s.length === 8)) bad(id, 'DE64/DE128 must be b fixed 8');
  return {
    id,
    label: `field ${id} (${s.description})`,
    kind: s.kind,
    binary: s.kind === 'b',
    charset: CHARSETS[s.kind],
    charsetName: CHARSET_NAMES[s.kind],
    length: s.length,
    prefixDigits,
    padByte,
    padLeft: s.pad === 'zero-left',
  };
}

/**
 * Checks a spec table and indexes it. Runs once per spec object (cached), so
 * `encode`/`decode` pay for it only on first use. Throws ISO_ERR_SPEC.
 */
export function compileSpec(spec: MessageSpec): CompiledSpec {
  const hit = cache.get(spec);
  if (hit) return hit;
  const fields: (CompiledField | undefined)[] = new Array<CompiledField | undefined>(129).fill(undefined);
  for (const key of Object.keys(spec)) {
    const id = Number(key);
    if (!Number.isInteger(id) || String(id) !== key || id < 2 || id > 128) {
      throw new Iso8583Error('ISO_ERR_SPEC', `spec key "${key}" must be a field number 2-128`);
    }
    if (id === 65) bad(65, 'field 65 (tertiary bitmap) is not supported');
    const s = spec[id];
    if (s === undefined) bad(id, 'missing spec');
    fields[id] = compileField(id, s);
  }
  const compiled: CompiledSpec = { fields };
  cache.set(spec, compiled);
  return compiled;
}
