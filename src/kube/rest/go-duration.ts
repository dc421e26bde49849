// Go's time.Duration.String() for the `timeout` query parameter (RC-02): the apiserver parses the
// value with time.ParseDuration, and client-go sends exactly what Duration.String() prints
// ("5m0s", "32s", "1.5s", "500ms"). Precision here is the millisecond; finer units never occur.

/** Format a non-negative duration in milliseconds the way Go prints a time.Duration. */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`invalid duration: ${ms} ms`);
  const whole = Math.round(ms);
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const millis = whole % 60_000;
  const seconds = Math.floor(millis / 1000);
  const frac = millis % 1000;
  // Go trims trailing zeros of the fractional seconds and prints no dot when they are all zero.
  const fracText = frac === 0 ? '' : `.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  const secText = `${seconds}${fracText}s`;
  if (hours > 0) return `${hours}h${minutes}m${secText}`;
  if (minutes > 0) return `${minutes}m${secText}`;
  return secText;
}
