/** `pos-agent run`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-agent run: not implemented yet\n');
  return 2;
}
