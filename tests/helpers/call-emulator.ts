import { DEFAULT_TOKEN, type FakeHub } from "../../emulator/fake-hub.js";

/** The origin in-process emulator tests pretend to be served at (absolute URLs it hands out follow it). */
export const EMULATOR_ORIGIN = "http://hub.local:8080";
/** Obviously fake tokens for a second user and a user who may only read (never shaped like a real one). */
export const OTHER_USER_TOKEN = "hf_fake-other-user-token";
export const READ_ONLY_TOKEN = "hf_fake-read-only-token";

/**
 * One request to an in-process emulator: as the default user unless `token` says otherwise (`null`: no
 * Authorization header); a path is taken relative to EMULATOR_ORIGIN, a full URL (a CAS URL it handed
 * out) as it is.
 */
export function callEmulator(
  hub: FakeHub,
  method: string,
  url: string,
  options: { token?: string | null; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
  if (token !== null) {
    headers.set("authorization", `Bearer ${token}`);
  }
  const body = options.body;
  return hub.handle(
    new Request(url.startsWith("http") ? url : `${EMULATOR_ORIGIN}${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : new Uint8Array(body) }),
    }),
  );
}
