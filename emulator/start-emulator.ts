import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FakeHub } from "./fake-hub.js";
import { createFaultInjector } from "./fault-injector.js";
import type { EmulatorConfig } from "./parse-emulator-args.js";
import { serveFakeHub } from "./serve-fake-hub.js";

export interface RunningEmulator {
  url: string;
  token: string;
  user: string;
  /** Where repos and LFS objects are kept. */
  data: string;
  hub: FakeHub;
  /** Closes every connection, writes the state, and removes the data folder if it was a temp one. */
  stop(): Promise<void>;
}

/** A fake token: the `hf_` shape clients require, and the word "emulator" so nobody mistakes it for a real one. */
function freshToken(): string {
  return `hf_emulator${randomBytes(12).toString("hex")}`;
}

/** Starts `process-artifacts-hub`: a FakeHub with the configured user, faults and latency, served on loopback. */
export async function startEmulator(config: EmulatorConfig, log: (line: string) => void): Promise<RunningEmulator> {
  const temporary = config.data === undefined;
  const data =
    config.data === undefined
      ? await mkdtemp(path.join(os.tmpdir(), "process-artifacts-hub-"))
      : path.resolve(config.data);
  const token = config.token ?? freshToken();
  const faults =
    config.faultRate > 0
      ? createFaultInjector({
          rate: config.faultRate,
          seed: config.seed,
          ...(config.faultRoute ? { route: config.faultRoute } : {}),
        })
      : undefined;
  try {
    const hub = await FakeHub.open({
      dataDir: data,
      users: { [token]: { name: config.user } },
      ...(config.lfsThreshold === undefined ? {} : { lfsThreshold: config.lfsThreshold }),
      ...(config.xet ? {} : { xet: false as const }),
      intercept: async (request) => {
        if (config.latencyMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, config.latencyMs).unref());
        }
        const before = faults?.injected.length ?? 0;
        const fault = faults?.intercept(request);
        const injected = faults?.injected[before];
        if (injected) {
          log(`fault: ${injected.fault} for ${injected.method} ${injected.path}`);
        }
        return fault;
      },
    });
    const served = await serveFakeHub(hub, { port: config.port, host: config.host, log });
    return {
      url: served.url,
      token,
      user: config.user,
      data,
      hub,
      stop: async () => {
        await served.close();
        await hub.save();
        if (temporary) {
          await rm(data, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    if (temporary) {
      await rm(data, { recursive: true, force: true });
    }
    throw error;
  }
}
