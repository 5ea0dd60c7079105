import { describe, expect, it } from "vitest";
import { readTrailer, RUN_TRAILER, UPLOAD_TRAILER } from "./upload-trailer.js";

describe("readTrailer", () => {
  it.each<[string, string, string | undefined]>([
    ["Upload run-a\n\nProcess-Artifacts-Run: run-a\n", RUN_TRAILER, "run-a"],
    ["Upload\n\nProcess-Artifacts-Run: run-a\nProcess-Artifacts-Upload: 42", UPLOAD_TRAILER, "42"],
    ["Process-Artifacts-Run: run-a", RUN_TRAILER, "run-a"],
    ["Process-Artifacts-Run: run-a  \nnext", RUN_TRAILER, "run-a"],
    ["Upload\n\nProcess-Artifacts-Run: run-a", UPLOAD_TRAILER, undefined],
    ["see X-Process-Artifacts-Run: run-a", RUN_TRAILER, undefined],
    ["Process-Artifacts-Run:run-a", RUN_TRAILER, undefined],
    ["Process-Artifacts-Run: ", RUN_TRAILER, undefined],
    ["", RUN_TRAILER, undefined],
  ])("%j, %s → %s", (message, name, value) => {
    expect(readTrailer(message, name)).toBe(value);
  });
});
