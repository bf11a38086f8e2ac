/**
 * A provider's date-time as the row model writes it: "YYYY-MM-DD HH:MM:SS". DataForSEO states a
 * zone ("2024-03-26 02:46:50 +00:00"): that time is turned into UTC and written without it, like
 * Serpstat's zone-less times. Anything else (a plain day, no date at all) is kept as it came.
 */
export function utcDateTime(value: string | null): string | null {
  if (value === null) return null;
  const zoned = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*(?:([+-])(\d{2}):?(\d{2})|Z)$/.exec(value.trim());
  if (!zoned) return value;
  const [year, month, day, hour, minute, second] = zoned.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetMinutes = zoned[7] ? (zoned[7] === '-' ? -1 : 1) * (Number(zoned[8]) * 60 + Number(zoned[9])) : 0;
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000);
  if (Number.isNaN(utc.getTime())) return value;
  return utc.toISOString().slice(0, 19).replace('T', ' ');
}
