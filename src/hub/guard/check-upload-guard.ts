import { isProductionHub } from "./is-production-hub.js";

export type UploadGuard = { allowed: true } | { allowed: false; reason: string; signals: string[] };

/**
 * Pure: a process under a test runner may never upload to the production Hub. There is deliberately
 * no override: tests point HF_ENDPOINT at a local or mocked Hub instead, which is always allowed.
 */
export function checkUploadGuard(params: { hubUrl: string; testSignals: readonly string[] }): UploadGuard {
  if (params.testSignals.length === 0 || !isProductionHub(params.hubUrl)) {
    return { allowed: true };
  }
  return {
    allowed: false,
    signals: [...params.testSignals],
    reason: `test environment detected (${params.testSignals.join(", ")}) and the Hub is the production Hub (${params.hubUrl})`,
  };
}
