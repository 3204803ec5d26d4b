/**
 * ISO 8601 durations as used on the wire and in configuration: `PT24H`, `P30D`, `PT15M`, `PT0S`,
 * `P1DT12H`. Years and months are refused (their length in milliseconds is not fixed), as are
 * fractions other than of seconds and negative values.
 */
const DURATION_PATTERN =
  /^P(?:(\d{1,5})W)?(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,8})M)?(?:(\d{1,10}(?:\.\d{1,3})?)S)?)?$/;

export function parseIsoDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === "P" || text.endsWith("T")) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  const total =
    Number(weeks ?? 0) * 7 * 86_400_000 +
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000);
  return Number.isSafeInteger(total) ? total : null;
}
