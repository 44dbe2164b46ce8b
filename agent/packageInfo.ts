import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: unknown;
  version?: unknown;
}

let found: { root: string; version: string } | null | undefined;

/**
 * This package's folder and package.json, found once by walking up from this
 * module: `agent/` when run from source, `dist/agent/` when built or installed
 * from the tarball. Null when no folder above holds pos-agent's package.json.
 */
function ownPackage(): { root: string; version: string } | null {
  if (found !== undefined) return found;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
      if (pkg.name === 'pos-agent' && typeof pkg.version === 'string') return (found = { root: dir, version: pkg.version });
    } catch {
      // not here (or not ours): look one folder up
    }
    const up = path.dirname(dir);
    if (up === dir) return (found = null);
    dir = up;
  }
}

/** The version in this package's package.json ('unknown' if it cannot be found). */
export function packageVersion(): string {
  return ownPackage()?.version ?? 'unknown';
}

/** The package's root folder (where package.json and dist/ are). Throws when it cannot be found. */
export function packageRoot(): string {
  const p = ownPackage();
  if (p === null) throw new Error('cannot find the pos-agent package root (no package.json named pos-agent above this module)');
  return p.root;
}
