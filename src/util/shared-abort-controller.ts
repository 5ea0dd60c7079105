import { setMaxListeners } from "node:events";

/**
 * An AbortController whose signal many concurrent tasks may listen to. Every request, retry wait and
 * hash in flight adds a listener to the signal that stops it (a run of 20,000 files sends 200
 * preupload requests at once), so past Node's default of 10 the listeners are work in progress, not
 * the leak Node would warn about on stderr.
 */
export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
