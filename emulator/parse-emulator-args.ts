import { isLoopbackHost } from "./is-loopback-host.js";
import { isRepoName } from "./is-repo-name.js";

export interface EmulatorConfig {
  port: number;
  host: string;
  /** Persist here and reload on the next start; undefined: a temp folder removed on exit. */
  data: string | undefined;
  /** undefined: a freshly generated fake token. */
  token: string | undefined;
  user: string;
  faultRate: number;
  faultRoute: RegExp | undefined;
  latencyMs: number;
  seed: number;
  lfsThreshold: number | undefined;
  /** Serve Xet storage (default); false with --no-xet: a Hub that only knows LFS. */
  xet: boolean;
}

export type ParsedArgs =
  { kind: "run"; config: EmulatorConfig } | { kind: "help" } | { kind: "error"; message: string };

function integer(name: string, text: string, min: number, max: number): number | string {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= min && value <= max
    ? value
    : `${name} must be a whole number from ${min} to ${max}, got "${text}"`;
}

/** Pure: the emulator's options from its argv, or a one-line error that says how to fix it. */
export function parseEmulatorArgs(argv: readonly string[]): ParsedArgs {
  const config: EmulatorConfig = {
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
  };
  const args = [...argv];
  while (args.length > 0) {
    const arg = args.shift() ?? "";
    if (arg === "-h" || arg === "--help") {
      return { kind: "help" };
    }
    if (arg === "--no-xet") {
      config.xet = false;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const known = [
      "--port",
      "--host",
      "--data",
      "--token",
      "--user",
      "--fault-rate",
      "--fault-route",
      "--latency-ms",
      "--seed",
      "--lfs-threshold",
    ];
    if (!known.includes(name)) {
      return { kind: "error", message: `unknown option ${JSON.stringify(arg)} (see --help)` };
    }
    const value = inline ?? args.shift();
    if (value === undefined) {
      return { kind: "error", message: `${name} needs a value (see --help)` };
    }
    let problem: string | undefined;
    switch (name) {
      case "--port": {
        const port = integer("--port", value, 0, 65535);
        if (typeof port === "number") {
          config.port = port;
        } else {
          problem = port;
        }
        break;
      }
      case "--host":
        if (!isLoopbackHost(value)) {
          problem = `--host ${value} is not a loopback address; the emulator listens only on 127.0.0.1, ::1 or localhost`;
        }
        config.host = value;
        break;
      case "--data":
        if (value === "") {
          problem = "--data needs a folder";
        }
        config.data = value;
        break;
      case "--token":
        if (!/^hf_[A-Za-z0-9_-]+$/.test(value)) {
          problem = '--token must look like a Hub token: "hf_" then letters, digits, "-" or "_"';
        }
        config.token = value;
        break;
      case "--user":
        if (!isRepoName(value)) {
          problem = `--user ${JSON.stringify(value)} is not a Hub user name (letters, digits, "-", "_", ".")`;
        }
        config.user = value;
        break;
      case "--fault-rate": {
        const rate = Number(value);
        if (value.trim() === "" || !Number.isFinite(rate) || rate < 0 || rate > 1) {
          problem = `--fault-rate must be a number from 0 to 1, got "${value}"`;
        }
        config.faultRate = rate;
        break;
      }
      case "--fault-route":
        try {
          config.faultRoute = new RegExp(value);
        } catch (error) {
          problem = `--fault-route is not a valid regular expression: ${(error as Error).message}`;
        }
        break;
      case "--latency-ms": {
        const latency = integer("--latency-ms", value, 0, 600_000);
        if (typeof latency === "number") {
          config.latencyMs = latency;
        } else {
          problem = latency;
        }
        break;
      }
      case "--seed": {
        const seed = integer("--seed", value, 0, 2 ** 32 - 1);
        if (typeof seed === "number") {
          config.seed = seed;
        } else {
          problem = seed;
        }
        break;
      }
      case "--lfs-threshold": {
        const threshold = integer("--lfs-threshold", value, 0, Number.MAX_SAFE_INTEGER);
        if (typeof threshold === "number") {
          config.lfsThreshold = threshold;
        } else {
          problem = threshold;
        }
        break;
      }
    }
    if (problem !== undefined) {
      return { kind: "error", message: problem };
    }
  }
  return { kind: "run", config };
}
