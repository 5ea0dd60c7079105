import { describe, expect, it } from "vitest";
import { scanArgv } from "./scan-argv.js";

describe("scanArgv", () => {
  it.each([
    [["--help"], ["help"], {}],
    [["-h"], ["help"], {}],
    [["-v", "--json"], ["verbose", "json"], {}],
    [["--token", "hf_abc"], ["token"], { token: ["hf_abc"] }],
    [["--token=hf_abc", "--token", "hf_def"], ["token"], { token: ["hf_abc", "hf_def"] }],
    // A value that looks like a flag is the value of the flag before it.
    [["--run", "--json"], ["run"], { run: ["--json"] }],
    [["--model-dir", "-h"], ["model-dir"], { "model-dir": ["-h"] }],
    [["--", "--help"], [], {}],
    [["--unknown", "--version"], ["version"], {}],
  ])("%j", (argv, flags, values) => {
    const scanned = scanArgv(argv);
    expect([...scanned.flags]).toEqual(flags);
    expect(Object.fromEntries(scanned.values)).toEqual(values);
  });
});
