/** Prints a usage problem and the usage text to stderr; returns exit code 2. */
export function usageError(problem: string, usage: string): number {
  process.stderr.write(`error: ${problem}\n\n${usage}`);
  return 2;
}
