import { describe, expect, it } from "vitest";
import { parseCli } from "./cli.js";
import { UsageError } from "./errors.js";

const parse = (argv: string[]): ReturnType<typeof parseCli> => parseCli(argv, { version: "1.2.3", columns: 100 });

describe("parseCli", () => {
  it.each([
    [[], { modelDir: undefined, skipUpload: false, dryRun: false, private: undefined }],
    [["--only-upload", "--model-dir", "/m"], { modelDir: "/m" }],
    [["--model-dir=/m", "--run", "r", "--config", "c.yaml"], { modelDir: "/m", runName: "r", configPath: "c.yaml" }],
    [["--skip-model-upload"], { skipUpload: true }],
    [["--dry-run", "--private"], { dryRun: true, private: true }],
    [["--no-private"], { private: false }],
    [["--token", "hf_x"], { token: "hf_x" }],
  ])("%j → upload options %o", async (argv, expected) => {
    const command = await parse(argv);
    expect(command.kind).toBe("upload");
    expect(command.kind === "upload" ? command.options : undefined).toMatchObject(expected);
  });

  it("recognises --list-runs, --json and -v", async () => {
    expect(await parse(["--list-runs", "--json", "-v"])).toMatchObject({
      kind: "list-runs",
      json: true,
      verbose: true,
    });
  });

  it("returns help and version text instead of printing or exiting", async () => {
    const help = await parse(["--help"]);
    expect(help.kind).toBe("help");
    expect(help.kind === "help" ? help.text : "").toContain("Exit codes:");
    expect(await parse(["--version"])).toEqual({ kind: "version", text: "1.2.3\n" });
  });

  it.each([
    [["--nope"]],
    [["--only-upload", "--only-datasets"]],
    [["--only-upload", "--only-upload"]],
    [["--run"]],
    [["--run", ""]],
    [["--list-runs", "--token", "hf_x"]],
  ])("%j is a UsageError, not an exit", async (argv) => {
    await expect(parse(argv)).rejects.toBeInstanceOf(UsageError);
  });
});
