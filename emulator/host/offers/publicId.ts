/** Prefixes of the public ids the Pay with Points endpoints hand out. */
export type IdPrefix = 'ofr' | 'per' | 'crd' | 'cof' | 'red';

/** `ofr_12` from prefix `ofr` and row id 12. */
export function formatId(prefix: IdPrefix, rowId: number | bigint): string {
  return `${prefix}_${String(rowId)}`;
}

/** The row id of a public id with the given prefix, or undefined if it is not one. */
export function parseId(prefix: IdPrefix, id: string): number | undefined {
  if (!id.startsWith(`${prefix}_`)) return undefined;
  const rest = id.slice(prefix.length + 1);
  if (!/^[1-9][0-9]{0,14}$/.test(rest)) return undefined;
  return Number(rest);
}
