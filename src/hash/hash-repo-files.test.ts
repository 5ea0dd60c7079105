import { createHash, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testdir } from "../../tests/helpers/testdir.js";
import { hashRepoFiles } from "./hash-repo-files.js";

describe("hashRepoFiles", () => {
  it("reports every path at 0 bytes before any is read, so a total never grows while hashing", async () => {
    const dir = await testdir();
    const sizes = [3 * 1024 * 1024, 5 * 1024 * 1024, 1024];
    const files = await Promise.all(
      sizes.map(async (size, index) => {
        const abs = path.join(dir, `f${index}.bin`);
        const bytes = randomBytes(size);
        await writeFile(abs, bytes);
        return { pathInRepo: `f${index}.bin`, abs, size, sha256: createHash("sha256").update(bytes).digest("hex") };
      }),
    );
    const reports: Array<[string, number]> = [];
    const hashed = new Map<string, string>();

    await hashRepoFiles(files, {
      gitBlobLimit: 0,
      onProgress: (pathInRepo, bytes) => reports.push([pathInRepo, bytes]),
      onHashed: (pathInRepo, hashes) => hashed.set(pathInRepo, hashes.sha256),
    });

    expect(reports.slice(0, 3)).toEqual(files.map((file) => [file.pathInRepo, 0]));
    expect(reports.slice(3).every(([, bytes]) => bytes > 0)).toBe(true);
    expect(hashed).toEqual(new Map(files.map((file) => [file.pathInRepo, file.sha256])));
  });
});
