import type { FakeHub } from "./fake-hub.js";
import type { FakeHubUser, RecordedRequest } from "./types.js";

/** What every route handler gets: the emulator, the request, and who sent it. */
export interface RouteContext {
  hub: FakeHub;
  request: Request;
  url: URL;
  /** e.g. http://127.0.0.1:43121, for the URLs the answer carries. */
  origin: string;
  /** The token owner; undefined for an anonymous request. */
  user: FakeHubUser | undefined;
  record: RecordedRequest;
}
