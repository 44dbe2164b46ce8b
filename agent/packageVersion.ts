import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in this package's package.json. The file is found by walking up
 * from this module: `agent/` when run from source, `dist/agent/`
 * when built or installed from the tarball.
 */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'pos-agent' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here (or not ours): look one folder up
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
