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
  const ticks: Array<() => void> = [];
  let stopped = 0;
  const output = createOutput({
    io,
    verbose: options.verbose ?? false,
    secrets: () => ["hf_secretForOutputTests"],
    ...(options.progress === undefined ? {} : { progress: options.progress }),
    clock: () => now,
    ticker: (_ms, tick) => {
      ticks.push(tick);
      return () => {
        stopped++;
      };
    },
  });
  return {
    output,
    stdout,
    stderr,
    io,
    at: (ms: number) => {
      now = ms;
    },
    /** The clock moves on and the ticker fires, as it does once a second while an upload runs. */
    tickAt: (ms: number) => {
      now = ms;
      for (const tick of ticks) {
        tick();
      }
    },
    ticking: () => ticks.length - stopped,
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
    ["stderr is not a terminal, within the upload's first second", { tty: false }],
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

  it("keeps drawing once a second without events, so a long commit shows its time", () => {
    const { output, screen, tickAt } = setup();
    output.event({ type: "phase", phase: "committing" });
    tickAt(12_300);
    expect(screen()).toEqual(["Committing… 12 s"]);
  });

  it("measures the terminal again at every draw", () => {
    const { output, stderr, io, at } = setup({ columns: 120 });
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("a.bin", 1 * MiB, 4 * MiB));
    at(1000);
    output.event(upload("a.bin", 2 * MiB, 4 * MiB));
    expect(stderr.at(-1)).toBe(`${CLEAR}Uploading… 0/1 files · 50% · 2.00 MiB / 4.00 MiB · 1.00 MiB/s · ETA 2 s`);
    io.stderrColumns = 30;
    at(2000);
    output.event(upload("a.bin", 3 * MiB, 4 * MiB));
    expect(stderr.at(-1)).toBe(`${CLEAR}75% · 1.00 MiB/s · ETA 1 s`);
  });

  it("never draws again once the result is out: a late event leaves no line after it", () => {
    const { output, screen, stdout, at, tickAt, ticking } = setup({ columns: 40 });
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("a.bin", 1, 2));
    expect(ticking()).toBe(1);
    output.result("✅ Model uploaded successfully\n");
    at(5000);
    output.event(upload("a.bin", 2, 2));
    output.event({ type: "phase", phase: "committing" });
    tickAt(6000);
    output.close();
    expect(stdout.join("")).toBe("✅ Model uploaded successfully\n");
    expect(screen()).toEqual([""]);
    expect(ticking()).toBe(0);
  });

  it("names the file a retried storage request was sending, not its content hash", () => {
    const { output, screen } = setup({ tty: false });
    const oid = "a".repeat(64);
    output.event({ type: "phase", phase: "uploading" });
    output.event({ ...upload("adapter_model.safetensors", 0, 10), oid });
    output.event({
      type: "retry",
      url: `http://127.0.0.1:8080/__lfs/${oid}?X-Amz-Signature=secret`,
      method: "PUT",
      attempt: 1,
      of: 5,
      delayMs: 300,
      reason: "HTTP 500",
    });
    output.event({
      type: "retry",
      url: "http://127.0.0.1:8080/api/models/alice/run/preupload/main",
      method: "POST",
      attempt: 2,
      of: 5,
      delayMs: 1200,
      reason: "ECONNRESET",
    });
    expect(screen()).toEqual([
      "Retrying the upload of adapter_model.safetensors in 0.3 s (HTTP 500; retry 1 of 5)",
      "Retrying POST /api/models/alice/run/preupload/main in 1.2 s (ECONNRESET; retry 2 of 5)",
      "",
    ]);
  });

  it("announces what an upload publishes before it starts, and measures each run's upload on its own", () => {
    const { output, screen, at } = setup();
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("old.bin", 1, 4));
    at(1000);
    output.event({
      type: "publishing",
      run: "run-b",
      repos: [
        { type: "model", repoId: "alice/run-b", files: 6, bytes: 25 * 1024 },
        { type: "dataset", repoId: "alice/run-b-training-data", files: 1, bytes: 300 },
      ],
    });
    output.event({ type: "phase", phase: "uploading" });
    output.event(upload("new.bin", 3, 4));
    expect(screen()).toEqual([
      "Publishing run-b to alice/run-b (6 files, 25.0 KiB) and dataset alice/run-b-training-data (1 file, 300 B)",
      "Uploading… 0/1 files · 75% · 3 B / 4 B",
    ]);
  });

  describe("without a terminal (a CI log)", () => {
    const lines = (stderr: string[]) =>
      stderr
        .join("")
        .split("\n")
        .filter((line) => line !== "");

    it("prints a plain line each time a step passes another tenth, at most once a second, and nothing in between", () => {
      const { output, stderr, at } = setup({ tty: false });
      output.event({
        type: "publishing",
        run: "r",
        repos: [{ type: "model", repoId: "alice/r", files: 1, bytes: 100 }],
      });
      output.event({ type: "phase", phase: "uploading" });
      for (let ms = 0; ms <= 10_000; ms += 100) {
        at(ms);
        // 100 bytes in 10 s, then done.
        output.event(upload("a.bin", Math.min(100, ms / 100), 100));
      }
      const progress = lines(stderr).slice(1);
      expect(stderr.join("")).not.toContain("\r");
      expect(stderr.join("")).not.toContain("\x1b");
      expect(progress.map((line) => /· (\d+)% ·/.exec(line)?.[1])).toEqual([
        "10",
        "20",
        "30",
        "40",
        "50",
        "60",
        "70",
        "80",
        "90",
        "100",
      ]);
      expect(progress.at(-1)).toBe("Uploading… 1/1 files · 100% · 100 B / 100 B · 10 B/s");
    });

    it("prints a line at least every 30 s while nothing moves, and one when a step without files starts", () => {
      const { output, stderr, at, tickAt } = setup({ tty: false });
      output.event({ type: "phase", phase: "uploading" });
      output.event(upload("a.bin", 50, 100));
      tickAt(1000);
      tickAt(20_000);
      tickAt(31_000);
      tickAt(45_000);
      tickAt(61_000);
      at(62_000);
      output.event(upload("a.bin", 100, 100));
      output.event({ type: "phase", phase: "committing" });
      tickAt(63_000);
      tickAt(95_000);
      expect(lines(stderr)).toEqual([
        "Uploading… 0/1 files · 50% · 50 B / 100 B",
        "Uploading… 0/1 files · 50% · 50 B / 100 B",
        "Uploading… 0/1 files · 50% · 50 B / 100 B",
        "Uploading… 1/1 files · 100% · 100 B / 100 B · 1 B/s",
        "Committing… 1 s",
        "Committing… 33 s",
      ]);
    });

    it("prints no progress with --json", () => {
      const { output, stderr, tickAt } = setup({ tty: false });
      output.configure({ json: true });
      output.event({ type: "phase", phase: "uploading" });
      output.event(upload("a.bin", 50, 100));
      tickAt(40_000);
      expect(stderr).toEqual([]);
    });
  });
});
