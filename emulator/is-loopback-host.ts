/** The hosts the emulator may bind to: it must never be reachable from another machine. */
export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}
