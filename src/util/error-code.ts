/**
 * The system error code somewhere in an error's cause chain (ECONNRESET, ENOTFOUND, …), or
 * "timeout" for an abort by AbortSignal.timeout; undefined when there is none.
 */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string") {
      return code;
    }
    if (current.name === "TimeoutError") {
      return "timeout";
    }
    current = current.cause;
  }
  return undefined;
}
