import { stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import { createDirPath } from "./create-dir-path.js";

describe("createDirPath", () => {
  it("creates missing ancestors, accepts an existing folder, and fails (rather than hangs) where no folder can be", async () => {
    const dir = await testdir({ file: "x" });
    await createDirPath(path.join(dir, "a", "b", "c"));
    expect((await stat(path.join(dir, "a", "b", "c"))).isDirectory()).toBe(true);
    await createDirPath(path.join(dir, "a"));
    await expect(createDirPath(path.join(dir, "file", "cache"))).rejects.toMatchObject({ code: "ENOTDIR" });
    // Node 20's recursive mkdir never settles here.
    await expect(createDirPath("/proc/process-artifacts-test/cache")).rejects.toMatchObject({ code: "ENOENT" });
  });
});
