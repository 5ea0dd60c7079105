import { setMaxListeners } from "node:events";

/**
 * Every in-flight request, file read and retry wait listens to the signal that stops an upload, and
 * they run side by side (up to 64 open files, several requests): Node's warning at 10 listeners
 * would fire on every large run. Their number is bounded by our limiters, so the limit is raised to
 * a bound no correct run reaches; a real leak (listeners never removed) still warns.
 */
const MAX_LISTENERS = 1000;

/** An AbortController whose signal many concurrent tasks may listen to. */
export function createSharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(MAX_LISTENERS, controller.signal);
  return controller;
}
