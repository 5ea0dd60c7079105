/** How run folders are named in messages: the three spellings the pipeline has used. */
export const RUN_NAME_PATTERN =
  "webauthn-security-sequential_YYYYMMDD_HHMMSS, webauthn-security-sequential-YYYYMMDD_HHMMSS or webauthn-security-YYYYMMDD_HHMMSS";

/**
 * The pipeline named its runs `webauthn-security-sequential_<ts>` (first tool), then
 * `webauthn-security-<ts>` (run manager v1.0) and `webauthn-security-sequential-<ts>` (v2.0).
 */
const RUN_NAME = /^webauthn-security(-sequential_|-sequential-|-)(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/;
const DERIVED = /_peft_converted$|_merged|_fused$/;

export type ParsedRunName =
  | { ok: true; /** UTC-based instant used only for ordering. */ time: number; timestamp: string }
  | { ok: false; reason: string };

/**
 * Pure: a run folder's name → its timestamp. Impossible dates (month 13, Feb 30, hour 24) are
 * rejected rather than rolled over, so a typo can never make an old run look newest.
 */
export function parseRunName(name: string): ParsedRunName {
  const match = RUN_NAME.exec(name);
  if (!match) {
    if (name.startsWith("webauthn-security") && DERIVED.test(name)) {
      return { ok: false, reason: "derived folder, not a training run" };
    }
    return { ok: false, reason: `name does not match ${RUN_NAME_PATTERN}` };
  }
  const [, , y, mo, d, h, mi, s] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const timestamp = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls every out-of-range field over (and reads years 0–99 as 19xx), so a timestamp is
  // possible exactly when it reads back unchanged: one comparison covers month, day, hour, minute, second.
  if (new Date(time).toISOString().slice(0, 19) !== timestamp) {
    return { ok: false, reason: `impossible timestamp ${y}-${mo}-${d} ${h}:${mi}:${s}` };
  }
  return { ok: true, time, timestamp };
}
