/**
 * The wait a server asks for: `Retry-After` (seconds or an HTTP date), or the IETF `RateLimit`
 * header's reset time when no requests remain (`"api";r=0;t=55`), as huggingface_hub reads it.
 */
export function serverDelayMs(headers: Headers, now: number): number | undefined {
  const rateLimit = headers.get("ratelimit");
  if (rateLimit !== null) {
    const remaining = /(?:^|[;,\s])r=(\d+)/.exec(rateLimit)?.[1];
    const reset = /(?:^|[;,\s])t=(\d+)/.exec(rateLimit)?.[1];
    if (remaining === "0" && reset !== undefined) {
      return Number(reset) * 1000;
    }
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null) {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) {
    return Number(retryAfter) * 1000;
  }
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
