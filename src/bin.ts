#!/usr/bin/env node
import { main } from "./main.js";
import { sharedAbortController } from "./util/shared-abort-controller.js";

const controller = sharedAbortController();
let signals = 0;
const onSignal = (): void => {
  signals++;
  if (signals > 1) {
    // A second Ctrl-C means "now": skip cleanup rather than hang on a stuck request.
    process.exit(130);
  }
  process.stderr.write("\nInterrupted: stopping and removing temporary files (press Ctrl-C again to force)\n");
  controller.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

process.exitCode = await main(
  process.argv.slice(2),
  process.env,
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    // Getters: a terminal resized while the tool runs is measured again at the next draw.
    get stderrColumns() {
      return process.stderr.isTTY ? process.stderr.columns : undefined;
    },
    get stdoutColumns() {
      return process.stdout.isTTY ? process.stdout.columns : undefined;
    },
  },
  { signal: controller.signal },
);
