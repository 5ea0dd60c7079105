/** A wait the server asked for, and the header that asked (named in messages). */
export interface ServerDelay {
  ms: number;
  header: "Retry-After" | "RateLimit";
}

/**
 * The wait a server asks for: `Retry-After` (seconds or an HTTP date), or the IETF `RateLimit`
 * header's reset time when no requests remain (`"api";r=0;t=55`), as huggingface_hub reads it.
 */
export function serverDelayMs(headers: Headers, now: number): ServerDelay | undefined {
  const rateLimit = headers.get("ratelimit");
  if (rateLimit !== null) {
    const remaining = /(?:^|[;,\s])r=(\d+)/.exec(rateLimit)?.[1];
    const reset = /(?:^|[;,\s])t=(\d+)/.exec(rateLimit)?.[1];
    if (remaining === "0" && reset !== undefined) {
      return { ms: Number(reset) * 1000, header: "RateLimit" };
    }
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null) {
    return undefined;
  }
  if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) {
    return { ms: Number(retryAfter) * 1000, header: "Retry-After" };
  }
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : { ms: Math.max(0, date - now), header: "Retry-After" };
}
