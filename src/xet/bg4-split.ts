import { bg4SplitInto } from "./bg4-split-into.js";

/** The byte-grouped copy of `data` (bg4SplitInto, into a new array). */
export function bg4Split(data: Uint8Array): Uint8Array {
  return bg4SplitInto(data, new Uint8Array(data.length));
}
