import { setupServer } from "msw/node";

/** One msw server per test worker; tests add handlers with server.use(). */
export const server = setupServer();
