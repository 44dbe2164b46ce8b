import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../emulator/reader/main.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `pos-emulator reader` with `argv` and returns its exit code and what it wrote to stderr. */
async function runMain(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv);
  return { code, stderr };
}

describe('pos-emulator reader --profile', () => {
  it('refuses an unknown profile before starting anything, naming it and the allowed ones', async () => {
    const { code, stderr } = await runMain(['--link', '/tmp/never-made', '--profile', 'idtech']);
    expect(code).toBe(2);
    expect(stderr).toContain('error: --profile must be framed or magtek (got "idtech")');
    expect(stderr).toContain('usage: pos-emulator reader --link PATH [--profile framed|magtek]');
  });

  it('is checked exactly: a different case is not a profile', async () => {
    const { code, stderr } = await runMain(['--link', '/tmp/never-made', '--profile', 'Framed']);
    expect(code).toBe(2);
    expect(stderr).toContain('(got "Framed")');
  });
});
