import { describe, expect, it } from "vitest";
import { parseCli } from "./cli.js";
import { CLI_OPTIONS } from "./cli-options.js";
import { UsageError } from "./errors.js";
import { helpText } from "./help-text.js";

const parse = (argv: string[]): ReturnType<typeof parseCli> => parseCli(argv);

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

describe("helpText", () => {
  it("documents every flag yargs accepts, with its alias and value", () => {
    const text = helpText();
    for (const [name, option] of Object.entries(CLI_OPTIONS)) {
      expect(text).toContain(`--${name}`);
      expect(text).toContain(option.description);
    }
    expect(text).toContain("-v, --verbose");
    expect(text).toContain("--mlx-lora-scaling <modern|legacy>");
    expect(text).toContain("--model-dir <value>");
  });
});
