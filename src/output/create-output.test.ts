import { describe, expect, it } from "vitest";
import { createOutput, type Io } from "./create-output.js";

const CLEAR = "\r\x1b[K";
const MiB = 1024 * 1024;

function setup(options: { tty?: boolean; progress?: boolean; verbose?: boolean; columns?: number } = {}) {
  let now = 0;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = {
    stdout: { write: (chunk: string) => stdout.push(chunk) },
    stderr: { write: (chunk: string) => stderr.push(chunk) },
    stderrIsTTY: options.tty ?? true,
    ...(options.columns === undefined ? {} : { stderrColumns: options.columns }),
  };
  const output = createOutput({
    io,
    verbose: options.verbose ?? false,
    secrets: () => ["hf_secretForOutputTests"],
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    clock: () => now,
  });
  return {
    output,
    stdout,
    stderr,
    at: (ms: number) => {
      now = ms;
    },
    /** What a terminal shows: each line as left by its last carriage-return erase. */
    screen: () =>
      stderr
        .join("")
        .split("\n")
        .map((line) => line.split(CLEAR).at(-1) ?? ""),
  };
}

const upload = (path: string, bytes: number, totalBytes: number) =>
  ({ type: "file", path, state: "uploading", progress: bytes / totalBytes, bytes, totalBytes }) as const;

describe("createOutput progress", () => {
  it("draws bytes, rate and ETA per phase on a terminal, at most 4 times a second", () => {
    const { output, stderr, at } = setup();
    output.event({ type: "phase", phase: "uploading" });
    const draws = () => stderr.filter((chunk) => chunk.startsWith(CLEAR) && chunk.length > CLEAR.length).length;
    expect(draws()).toBe(1);
    for (let ms = 0; ms <= 1000; ms += 50) {
      at(ms);
      output.event(upload("model.safetensors", (ms / 1000) * 10 * MiB, 100 * MiB));
    }
    // 21 events over one second: drawn for the phase and the step's first file (both at t = 0),
    // then at 250, 500, 750 and 1000 only.
    expect(draws()).toBe(6);
    expect(stderr.at(-1)).toBe(`${CLEAR}Uploading… 0/1 files · 10% · 10.0 MiB / 100 MiB · 10.0 MiB/s · ETA 9 s`);
  });

  it("prints a warning on a line of its own, erasing the progress line first and drawing it again below", () => {
    const { output, screen, at } = setup();
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("a.bin", 1 * MiB, 4 * MiB));
    at(1000);
    output.event({ type: "warning", message: "the Hub is slow" });
    expect(screen()).toEqual(["Warning: the Hub is slow", "Uploading… 0/1 files · 25% · 1.00 MiB / 4.00 MiB"]);
  });

  it("erases the progress line before an error, so the error is never glued to it", () => {
    const { output, screen, stderr } = setup();
    output.event({ type: "phase", phase: "committing" });
    expect(stderr.join("")).toContain("Committing…");
    output.error("Error: The Hub answered 500\n");
    output.close();
    expect(screen()).toEqual(["Error: The Hub answered 500", ""]);
  });

  it("leaves the screen clean at the end, and stdout free of control characters", () => {
    const { output, screen, stdout } = setup();
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("a.bin", 1, 2));
    output.result("done\n");
    output.close();
    expect(stdout.join("")).toBe("done\n");
    expect(screen()).toEqual([""]);
  });

  it.each([
    ["stderr is not a terminal", { tty: false }],
    ["HF_HUB_DISABLE_PROGRESS_BARS is set", { progress: false }],
  ])("draws nothing when %s, but still prints warnings", (_name, options) => {
    const { output, stderr } = setup(options);
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("a.bin", 1, 2));
    output.event({ type: "warning", message: "careful" });
    output.close();
    expect(stderr.join("")).toBe("Warning: careful\n");
  });

  it("stops drawing when configured for --json or with progress off after it was made", () => {
    for (const mode of [{ json: true }, { progress: false }]) {
      const { output, stderr } = setup();
      output.configure(mode);
      output.event({ type: "phase", phase: "uploading" });
      output.event(upload("a.bin", 1, 2));
      output.close();
      expect(stderr).toEqual([]);
    }
  });

  it("turns verbose notes on when configured after argv parsing", () => {
    const { output, stderr } = setup({ tty: false });
    output.event({ type: "info", verbose: true, message: "hidden" });
    output.configure({ verbose: true });
    output.event({ type: "info", verbose: true, message: "shown" });
    expect(stderr.join("")).toBe("shown\n");
  });

  it("keeps the line within the terminal width and masks secrets in it", () => {
    const { output, stderr } = setup({ columns: 40 });
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("hf_secretForOutputTests.bin", 1, 2));
    output.event({ type: "warning", message: "token hf_secretForOutputTests leaked?" });
    const text = stderr.join("");
    expect(text).not.toContain("hf_secretForOutputTests");
    for (const chunk of stderr.filter((c) => c.startsWith(CLEAR))) {
      expect(chunk.length - CLEAR.length).toBeLessThan(40);
    }
  });
});
