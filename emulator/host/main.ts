/** `pos-emulator host`: not built yet. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('pos-emulator host: not implemented yet\n');
  return 2;
}
