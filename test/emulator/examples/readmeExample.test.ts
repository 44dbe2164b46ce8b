/** emulator/README.md's "Use it in your tests" example is, to the byte, the file the consumer test runs. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The first ```ts block under a `## ` heading of a Markdown file. */
export function codeBlockUnder(markdown: string, heading: string): string | undefined {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  return section === undefined ? undefined : /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
}

it('the README example is emulator/examples/counter.test.ts', () => {
  const readme = readFileSync(resolve(ROOT, 'emulator/README.md'), 'utf8');
  const example = readFileSync(resolve(ROOT, 'emulator/examples/counter.test.ts'), 'utf8');
  expect(codeBlockUnder(readme, 'Use it in your tests')).toBe(example);
});
