import { http, type HttpHandler } from "msw";
import type { FakeHub } from "./fake-hub.js";

/** msw handlers routing every request for `origin` (e.g. https://hub.test) to the emulator. */
export function fakeHubHandlers(hub: FakeHub, origin: string): HttpHandler[] {
  return [http.all(`${origin}/*`, ({ request }) => hub.handle(request))];
}
