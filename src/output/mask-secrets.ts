import { hfTokenPattern } from "../util/hf-token-pattern.js";

/** Any run of this many characters of a secret (or of one of its encodings) is masked wherever it appears. */
const MIN_FRAGMENT = 12;
const MASK = "hf_***";

/**
 * A secret as a server may echo it back: as is, URL-encoded, and base64 (standard and URL-safe) at
 * each of the three byte alignments it can have inside a longer encoded string (e.g. a Basic auth
 * header of "user:token"). Each base64 form keeps only the characters that depend on the secret's
 * bytes alone.
 */
function encodedForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret);
  for (const offset of [0, 1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
    const from = offset === 0 ? 0 : 4;
    const to = Math.floor(shifted.length / 3) * 4;
    // A form shorter than a fragment adds no fragment, so short secrets need no special case.
    const base64 = shifted.toString("base64").slice(from, to);
    forms.add(base64);
    forms.add(base64.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...forms];
}

/**
 * Pure: replaces with "hf_***" every secret we hold, every run of 12 or more characters of one (a
 * prefix a server echoed, a truncated log line) in its plain, URL-encoded or base64 form, and
 * anything shaped like a Hugging Face token even if we were never told about it.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  const fragments = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) {
      continue;
    }
    masked = masked.split(secret).join(MASK);
    for (const form of encodedForms(secret)) {
      for (let at = 0; at + MIN_FRAGMENT <= form.length; at++) {
        fragments.add(form.slice(at, at + MIN_FRAGMENT));
      }
    }
  }
  // Mark every character covered by some 12-character window of a secret, then mask each marked run once.
  const covered = new Uint8Array(masked.length);
  let any = false;
  for (let at = 0; at + MIN_FRAGMENT <= masked.length; at++) {
    if (fragments.has(masked.slice(at, at + MIN_FRAGMENT))) {
      covered.fill(1, at, at + MIN_FRAGMENT);
      any = true;
    }
  }
  if (any) {
    let out = "";
    for (let at = 0; at < masked.length; at++) {
      if (covered[at] === 0) {
        out += masked.charAt(at);
      } else if (at === 0 || covered[at - 1] === 0) {
        out += MASK;
      }
    }
    masked = out;
  }
  return masked.replace(hfTokenPattern("text"), MASK);
}
