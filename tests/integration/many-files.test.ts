import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TOKEN, FakeHub, type FakeFile } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { writeMlxRun } from "../helpers/make-run.js";
import { spawnCli } from "../helpers/spawn-cli.js";
import { testdir } from "../helpers/testdir.js";
import { RUN } from "../helpers/fixtures.js";
import { commitsAfterInitial } from "../helpers/commits-after-initial.js";
import { ANNOUNCEMENT, PROGRESS_LINE } from "../helpers/announcement.js";

/** What stderr says besides the announcement and progress lines: warnings, errors, Node's own complaints. */
function unexpectedLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !ANNOUNCEMENT.test(line) && !PROGRESS_LINE.test(line));
}

const REPO = `alice/${RUN}`;
const FILES = 20_000;
/** Below the Hub's 10,000 files per folder. */
const PER_FOLDER = 5_000;

const sample = (index: number): string => `samples/part-${Math.floor(index / PER_FOLDER)}/sample-${index}.txt`;

describe("many files", () => {
  it(
    `a run with ${FILES.toLocaleString("en")} small files uploads under ulimit -n 1024, every file on the Hub`,
    {
      timeout: 300_000,
    },
    async () => {
      const hub = new FakeHub();
      const served = await serveFakeHub(hub);
      onTestFinished(() => served.close());
      const home = await testdir();
      const tmp = await testdir();
      const models = await testdir();
      const run = await writeMlxRun(models, RUN);
      for (let folder = 0; folder < FILES / PER_FOLDER; folder++) {
        await mkdir(path.join(run, path.dirname(sample(folder * PER_FOLDER))), { recursive: true });
      }
      for (let start = 0; start < FILES; start += 500) {
        await Promise.all(
          Array.from({ length: 500 }, (_, offset) =>
            writeFile(path.join(run, sample(start + offset)), `sample ${start + offset}\n`),
          ),
        );
      }

      const result = await spawnCli(
        ["--model-dir", models],
        { HOME: home, TMPDIR: tmp, HF_ENDPOINT: served.url, HF_TOKEN: DEFAULT_TOKEN },
        { openFiles: 1024, deadlineMs: 280_000 },
      ).result;

      expect(result.hung, result.stderr).toBe(false);
      // No warning: only the announcement and, an upload this long, progress lines.
      expect(unexpectedLines(result.stderr)).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`✅ Model uploaded successfully: ${served.url}/${REPO}`);
      const repo = hub.repo("model", REPO);
      expect(commitsAfterInitial(repo)).toHaveLength(1);
      const stored = repo?.files ?? new Map<string, FakeFile>();
      for (let index = 0; index < FILES; index++) {
        expect(stored.get(sample(index))?.content?.toString()).toBe(`sample ${index}\n`);
      }
      expect(await readdir(tmp)).toEqual([]);
    },
  );

  it("many requests in flight at once (preuploads held until 12 have arrived) print no Node warning", async () => {
    // Each request in flight listens to the run's one abort signal; how many overlap is the machine's timing,
    // so the Hub holds the preupload answers until 12 are waiting, as a loaded machine may.
    const held: Array<() => void> = [];
    const hub = new FakeHub({
      intercept: async (request) => {
        if (request.method === "POST" && new URL(request.url).pathname.includes("/preupload/")) {
          await new Promise<void>((release) => {
            held.push(release);
            if (held.length >= 12) {
              held.forEach((waiting) => waiting());
            }
          });
        }
        return undefined;
      },
    });
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    const models = await testdir();
    const run = await writeMlxRun(models, RUN);
    await mkdir(path.join(run, "samples"));
    // 100 files per preupload request: 1,200 files make 12 of them, sent at once.
    await Promise.all(
      Array.from({ length: 1_200 }, (_, index) =>
        writeFile(path.join(run, "samples", `sample-${index}.txt`), `sample ${index}\n`),
      ),
    );

    const result = await spawnCli(
      ["--model-dir", models],
      { HOME: await testdir(), TMPDIR: await testdir(), HF_ENDPOINT: served.url, HF_TOKEN: DEFAULT_TOKEN },
      { deadlineMs: 120_000 },
    ).result;

    expect(held.length).toBeGreaterThanOrEqual(12);
    expect(unexpectedLines(result.stderr)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(commitsAfterInitial(hub.repo("model", REPO))).toHaveLength(1);
  });
});
