import { describe, expect, it } from "vitest";
import { HubError, InterruptedError, PartialUploadError } from "../errors.js";
import { describeInterruption, type LandedCommit } from "./describe-interruption.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const dataset: LandedCommit = { repoId: "alice/run-training-data", oid: A };
const model: LandedCommit = { repoId: "alice/run", oid: B };
const partial = (cause: unknown): PartialUploadError =>
  new PartialUploadError("The training data was published, but the model upload failed", {
    cause,
    landed: [{ repoId: dataset.repoId, url: "https://hub.test/datasets/alice/run-training-data", commit: A }],
    exitCode: 1,
  });

describe("describeInterruption", () => {
  it.each<[string, unknown, LandedCommit[], string]>([
    [
      "an abort error before anything landed",
      new DOMException("aborted", "AbortError"),
      [],
      "Interrupted; nothing was committed",
    ],
    [
      "a step that knows where it stopped, nothing landed",
      new InterruptedError("Interrupted while reading the current state of alice/run"),
      [],
      "Interrupted while reading the current state of alice/run; nothing was committed",
    ],
    [
      "a step after a commit landed (tagging it)",
      new InterruptedError("Interrupted while tagging alice/run as v1"),
      [model],
      `Interrupted while tagging alice/run as v1 (already committed: alice/run at ${B})`,
    ],
    [
      "an unknown error after a commit landed",
      new HubError("fetch failed"),
      [model],
      `Interrupted (already committed: alice/run at ${B})`,
    ],
    [
      "a commit in flight that had not landed",
      new InterruptedError("Interrupted while the commit to alice/run was being sent; it had not landed when checked", {
        commitInFlight: true,
      }),
      [],
      "Interrupted while the commit to alice/run was being sent; it had not landed when checked",
    ],
    [
      "a commit in flight that landed (named once)",
      new InterruptedError(`Interrupted, but the commit to alice/run had already landed (${B})`, {
        commitInFlight: true,
      }),
      [model],
      `Interrupted, but the commit to alice/run had already landed (${B})`,
    ],
    [
      "the model interrupted after its training data was published",
      partial(new InterruptedError("Interrupted while uploading to alice/run, before its commit was sent")),
      [dataset],
      `Interrupted while uploading to alice/run, before its commit was sent (already committed: alice/run-training-data at ${A})`,
    ],
    [
      "the model's hashing aborted after its training data was published",
      partial(new DOMException("aborted", "AbortError")),
      [dataset],
      `Interrupted (already committed: alice/run-training-data at ${A})`,
    ],
  ])("%s", (_label, error, committed, message) => {
    const described = describeInterruption(error, committed);

    expect(described.message).toBe(message);
    expect(described.exitCode).toBe(130);
  });

  it("keeps what a partial upload landed (for --json) and says how to finish", () => {
    const described = describeInterruption(partial(new DOMException("aborted", "AbortError")), [dataset]);

    expect(described).toBeInstanceOf(PartialUploadError);
    expect((described as PartialUploadError).landed).toEqual([expect.objectContaining({ commit: A })]);
    expect(described.hint).toMatch(/^Run again to finish/);
  });
});
