import type { CommandEvent } from "../command-event.js";
import type { RuntimeEnv } from "../env/read-env.js";
import { AuthError } from "../errors.js";
import type { HubSession } from "./hub-session.js";
import { openHubSession } from "./open-hub-session.js";

/**
 * A session for looking only (listings, plans): none when the user said --offline, when the guard
 * refuses this Hub, or when there is no token — a listing then simply says less.
 */
export async function openReadSession(params: {
  env: RuntimeEnv;
  offline: boolean;
  flagToken: string | undefined;
  repoPrefix: string | undefined;
  fetch: typeof fetch | undefined;
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
  registerSecret: ((secret: string) => void) | undefined;
}): Promise<HubSession | undefined> {
  if (params.offline) {
    return undefined;
  }
  try {
    const session = await openHubSession({ ...params, dryRun: false });
    return session.online ? session : undefined;
  } catch (error) {
    if (error instanceof AuthError) {
      params.onEvent({
        type: "info",
        verbose: true,
        message: `Not asking the Hub what is published: ${error.message}`,
      });
      return undefined;
    }
    throw error;
  }
}
