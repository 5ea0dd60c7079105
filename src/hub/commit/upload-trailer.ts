/** Git trailers in every commit message we write, so the tool can recognise its own commits later. */
export const RUN_TRAILER = "Process-Artifacts-Run";
export const UPLOAD_TRAILER = "Process-Artifacts-Upload";

/** Pure: the value of a trailer in a commit message, or undefined. */
export function readTrailer(message: string, name: string): string | undefined {
  const match = new RegExp(`^${name}: (.+)$`, "m").exec(message);
  return match?.[1]?.trim();
}
