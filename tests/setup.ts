import { afterAll, afterEach, beforeAll } from "vitest";
import { server } from "./helpers/msw-server.js";

// "error": a request no handler claims fails the test instead of leaking to the network.
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
