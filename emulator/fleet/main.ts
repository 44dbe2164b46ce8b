/** `pos-emulator fleet`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-emulator fleet: not implemented yet\n');
  return 2;
}
