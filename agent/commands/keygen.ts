/** `pos-agent keygen`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-agent keygen: not implemented yet\n');
  return 2;
}
