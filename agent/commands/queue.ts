/** `pos-agent queue`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-agent queue: not implemented yet\n');
  return 2;
}
