/**
 * The one home of what a Hugging Face token looks like.
 *
 * - "value": what we accept as a token handed to us: "hf_" then letters, digits, "_" or "-"
 *   (deliberately lenient: the test and emulator tokens are shorter than real ones).
 * - "text": a user access token sitting in some text (a leaked one, or one a server echoed):
 *   "hf_" then 30 or more letters and digits (real tokens have 34), as a whole word. Used both to
 *   find secrets in a run and to mask output, so the two can never disagree.
 *
 * A fresh RegExp each call: a shared global one would carry `lastIndex` between callers.
 */
export function hfTokenPattern(use: "value" | "text"): RegExp {
  return use === "value" ? /^hf_[A-Za-z0-9_-]+$/ : /\bhf_[A-Za-z0-9]{30,}\b/g;
}
