import { describe, expect, it } from "vitest";
import { checkUploadGuard } from "./check-upload-guard.js";
import { isProductionHub } from "./is-production-hub.js";

describe("isProductionHub", () => {
  it.each([
    "https://huggingface.co",
    "https://huggingface.co/",
    "http://HF.co",
    "https://api.huggingface.co",
    "https://cdn-lfs.hf.co",
    "https://huggingface.co.",
    "https://api.huggingface.co.",
    // Only the WHATWG "special" schemes lowercase the host; the check must not depend on the scheme.
    "hf://HF.CO",
    "::garbage::",
  ])("%s is production", (url) => expect(isProductionHub(url)).toBe(true));
  it.each([
    "https://hub-ci.huggingface.co",
    "https://hub-ci.huggingface.co.",
    "http://127.0.0.1:8080",
    "https://hub.test",
    "https://huggingface.co.evil.example",
    "https://nothuggingface.co",
  ])("%s is not", (url) => expect(isProductionHub(url)).toBe(false));
});

describe("checkUploadGuard", () => {
  it("blocks only the combination of a test runner and the production Hub", () => {
    expect(checkUploadGuard({ hubUrl: "https://huggingface.co", testSignals: [] })).toEqual({ allowed: true });
    expect(checkUploadGuard({ hubUrl: "http://127.0.0.1:1", testSignals: ["VITEST"] })).toEqual({ allowed: true });
    expect(checkUploadGuard({ hubUrl: "https://huggingface.co", testSignals: ["VITEST", "NODE_ENV=test"] })).toEqual({
      allowed: false,
      signals: ["VITEST", "NODE_ENV=test"],
      reason:
        "test environment detected (VITEST, NODE_ENV=test) and the Hub is the production Hub (https://huggingface.co)",
    });
  });
});
