#!/usr/bin/env node
/**
 * `process-artifacts-hub`: the Hub emulator as a command, for the tests of pipelines that call
 * process-artifacts. Prints one JSON line {url, token, user, data} on stdout once listening; logs go
 * to stderr; SIGTERM/SIGINT close every connection, keep a --data folder (a temp one is removed) and
 * exit 0. A bad option is one line on stderr and exit 2; a failure to start, exit 1.
 */
import { EMULATOR_HELP } from "./emulator-help.js";
import { parseEmulatorArgs } from "./parse-emulator-args.js";
import { startEmulator } from "./start-emulator.js";

const log = (line: string): void => {
  process.stderr.write(`process-artifacts-hub: ${line}\n`);
};

const parsed = parseEmulatorArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  process.stdout.write(EMULATOR_HELP);
} else if (parsed.kind === "error") {
  log(parsed.message);
  process.exitCode = 2;
} else {
  try {
    const emulator = await startEmulator(parsed.config, log);
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        return;
      }
      stopping = true;
      log(`${signal}: stopping`);
      emulator.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log(`could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    process.stdout.write(
      `${JSON.stringify({ url: emulator.url, token: emulator.token, user: emulator.user, data: emulator.data })}\n`,
    );
    log(`listening on ${emulator.url} (data: ${emulator.data})`);
  } catch (error) {
    log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
