import { describe, expect, it } from "vitest";
import { detectTestEnvironment } from "../env/detect-test-environment.js";
import { checkUploadGuard } from "./check-upload-guard.js";
import { isProductionHub } from "./is-production-hub.js";

describe("detectTestEnvironment", () => {
  it("recognises each runner's signal", () => {
    expect(
      detectTestEnvironment({
        VITEST: "true",
        JEST_WORKER_ID: "3",
        NODE_ENV: "Test",
        TESTING: "TRUE",
        PYTEST_CURRENT_TEST: "t.py::x (call)",
        NODE_TEST_CONTEXT: "child",
      }),
    ).toEqual([
      "VITEST",
      "JEST_WORKER_ID",
      "NODE_ENV=test",
      "TESTING=TRUE",
      "PYTEST_CURRENT_TEST",
      "NODE_TEST_CONTEXT",
    ]);
  });
  it("ignores empty, false and unrelated values", () => {
    expect(
      detectTestEnvironment({
        VITEST: "",
        JEST_WORKER_ID: "0",
        NODE_ENV: "production",
        TESTING: "yes",
        PYTEST_CURRENT_TEST: "false",
      }),
    ).toEqual([]);
    expect(detectTestEnvironment({ PATH: "/home/tester/latest-test/bin", npm_lifecycle_event: "test" })).toEqual([]);
  });
});

describe("isProductionHub", () => {
  it.each([
    "https://huggingface.co",
    "https://huggingface.co/",
    "http://HF.co",
    "https://api.huggingface.co",
    "https://cdn-lfs.hf.co",
    "https://huggingface.co.",
    "::garbage::",
  ])("%s is production", (url) => expect(isProductionHub(url)).toBe(true));
  it.each([
    "https://hub-ci.huggingface.co",
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
