import { onTestFinished } from "vitest";
import { FakeHub, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { fakeHubHandlers } from "../../emulator/fake-hub-handlers.js";
import { server } from "./msw-server.js";
import { TEST_HUB } from "./run-cli.js";

/** A fresh emulator mounted on https://hub.test for this test (handlers reset after each test). */
export function useFakeHub(options: FakeHubOptions = {}): FakeHub {
  const hub = new FakeHub(options);
  server.use(...fakeHubHandlers(hub, TEST_HUB));
  return hub;
}

/** Every request that reaches msw from now until the test ends, handled or not. */
export function recordAllRequests(): string[] {
  const seen: string[] = [];
  const listener = ({ request }: { request: Request }): void => {
    seen.push(`${request.method} ${request.url}`);
  };
  server.events.on("request:start", listener);
  onTestFinished(() => server.events.removeListener("request:start", listener));
  return seen;
}
