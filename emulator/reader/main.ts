/** `pos-emulator reader`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-emulator reader: not implemented yet\n');
  return 2;
}
