import { runToCompletion, type CompletedProcess } from "./run-to-completion.js";
import { HUB_BIN } from "./start-hub-command.js";

/** Runs the built command to completion (for options that make it exit at once). */
export function runHubCommand(args: string[]): Promise<CompletedProcess> {
  return runToCompletion(process.execPath, [HUB_BIN, ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
}
