export const RUN_PREFIX = "webauthn-security-sequential";
const RUN_NAME = /^webauthn-security-sequential([_-])(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;

export type ParsedRunName =
  | { ok: true; separator: "_" | "-"; /** UTC-based instant used only for ordering. */ time: number; timestamp: string }
  | { ok: false; reason: string };

/**
 * Pure: `webauthn-security-sequential_20250926_120000` (or with `-` after "sequential") → its timestamp.
 * Impossible dates (month 13, Feb 30, hour 24) are rejected rather than rolled over, so a typo
 * can never make an old run look newest.
 */
export function parseRunName(name: string): ParsedRunName {
  const match = RUN_NAME.exec(name);
  if (!match) {
    if (name.startsWith(RUN_PREFIX) && /_peft_converted$|_merged|_fused$/.test(name)) {
      return { ok: false, reason: "derived folder, not a training run" };
    }
    return { ok: false, reason: `name does not match ${RUN_PREFIX}_YYYYMMDD_HHMMSS` };
  }
  const [, separator, y, mo, d, h, mi, s] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(time);
  if (
    month < 1 ||
    month > 12 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, reason: `impossible timestamp ${y}-${mo}-${d} ${h}:${mi}:${s}` };
  }
  return {
    ok: true,
    separator: separator === "-" ? "-" : "_",
    time,
    timestamp: `${y}-${mo}-${d}T${h}:${mi}:${s}`,
  };
}
