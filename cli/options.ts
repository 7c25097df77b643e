/** Option parsers shared by the subcommands. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--concurrency must be a positive integer, not ${value}`);
  return n;
}
