import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROTOCOL = resolve(dirname(fileURLToPath(import.meta.url)), '../../protocol');

/** `from '...'` of every import and re-export (type-only ones too), and bare `import '...'`. */
const SPECIFIER_RE = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** File → the files under `root` it imports. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(root)) {
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const deps: string[] = [];
    for (const m of source.matchAll(SPECIFIER_RE)) {
      const spec = m[1] ?? m[2] ?? '';
      if (spec.startsWith('.')) deps.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Every back edge of a depth-first walk, written as the cycle it closes. */
function cycles(graph: Map<string, string[]>, root: string): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (state.get(dep) === 'open') found.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(root, f)).join(' -> '));
      else if (state.get(dep) === undefined && graph.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);
  return found;
}

describe('protocol/ import graph', () => {
  it('has no cycle, type-only imports included', () => {
    expect(cycles(importGraph(PROTOCOL), PROTOCOL)).toEqual([]);
  });

  it('finds a planted cycle (the checker can fail)', () => {
    const graph = new Map([['/p/pan.ts', ['/p/reader/index.ts']], ['/p/reader/index.ts', ['/p/reader/track.ts']], ['/p/reader/track.ts', ['/p/pan.ts']]]);
    expect(cycles(graph, '/p')).toEqual(['pan.ts -> reader/index.ts -> reader/track.ts -> pan.ts']);
  });

  it('sees every relative import of a real file', () => {
    const graph = importGraph(PROTOCOL);
    const pan = graph.get(join(PROTOCOL, 'pan.ts')) ?? [];
    expect(pan.map((f) => relative(PROTOCOL, f))).toEqual(['errors.ts', 'luhn.ts']);
    for (const deps of graph.values()) for (const dep of deps) expect(graph.has(dep), dep).toBe(true);
  });
});
