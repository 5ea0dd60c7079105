import { describe, expect, it } from "vitest";
import { parseEmulatorArgs } from "./parse-emulator-args.js";

describe("parseEmulatorArgs", () => {
  it("defaults to a free port on 127.0.0.1, user alice, a temp data folder, no faults and Xet on", () => {
    expect(parseEmulatorArgs([])).toEqual({
      kind: "run",
      config: {
        port: 0,
        host: "127.0.0.1",
        data: undefined,
        token: undefined,
        user: "alice",
        faultRate: 0,
        faultRoute: undefined,
        latencyMs: 0,
        seed: 1,
        lfsThreshold: undefined,
        xet: true,
      },
    });
  });

  it("--no-xet turns Xet storage off, wherever it stands", () => {
    expect(parseEmulatorArgs(["--no-xet", "--port", "1"])).toMatchObject({
      kind: "run",
      config: { xet: false, port: 1 },
    });
    expect(parseEmulatorArgs(["--port", "1", "--no-xet"])).toMatchObject({ kind: "run", config: { xet: false } });
  });

  it("reads every option, in both --name value and --name=value forms", () => {
    const parsed = parseEmulatorArgs([
      "--port=8123",
      "--host",
      "::1",
      "--data",
      "/tmp/hub",
      "--token=hf_fake_test_token",
      "--user",
      "bob",
      "--fault-rate",
      "0.25",
      "--fault-route",
      "^PUT ",
      "--latency-ms",
      "5",
      "--seed",
      "42",
      "--lfs-threshold",
      "1024",
    ]);
    expect(parsed).toMatchObject({
      kind: "run",
      config: {
        port: 8123,
        host: "::1",
        data: "/tmp/hub",
        token: "hf_fake_test_token",
        user: "bob",
        faultRate: 0.25,
        latencyMs: 5,
        seed: 42,
        lfsThreshold: 1024,
      },
    });
    expect(parsed.kind === "run" && parsed.config.faultRoute?.test("PUT /__lfs/x")).toBe(true);
  });

  it.each([
    [["--host", "0.0.0.0"], /--host 0\.0\.0\.0 is not a loopback address/],
    [["--host", "192.168.1.2"], /not a loopback address/],
    [["--port", "70000"], /--port must be a whole number from 0 to 65535/],
    [["--fault-rate", "1.5"], /--fault-rate must be a number from 0 to 1/],
    [["--fault-route", "("], /--fault-route is not a valid regular expression/],
    [["--token", "abc"], /--token must look like a Hub token/],
    [["--user", "a b"], /--user "a b" is not a Hub user name/],
    [["--seed"], /--seed needs a value/],
    [["--proxy", "https://huggingface.co"], /unknown option "--proxy"/],
    [["--no-xet=false"], /unknown option "--no-xet=false"/],
  ])("%j is refused with one line", (argv, message) => {
    const parsed = parseEmulatorArgs(argv);
    expect(parsed.kind).toBe("error");
    expect(parsed.kind === "error" && parsed.message).toMatch(message);
    expect(parsed.kind === "error" && parsed.message.includes("\n")).toBe(false);
  });

  it("--help wins", () => {
    expect(parseEmulatorArgs(["--port", "1", "--help"])).toEqual({ kind: "help" });
  });
});
