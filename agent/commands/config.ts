/** `pos-agent config`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-agent config: not implemented yet\n');
  return 2;
}
