/**
 * Runs per property: the given default in CI, or FC_RUNS for the nightly
 * `npm run fuzz` (a multiplier such as FC_RUNS=20x, or an absolute count).
 */
export function runs(ciDefault: number): number {
  const setting = process.env.FC_RUNS;
  if (!setting) return ciDefault;
  const factor = /^(\d+)x$/.exec(setting);
  return factor ? ciDefault * Number(factor[1]) : Number(setting);
}
