import { AuthError } from "../errors.js";
import type { HubSession, SessionParams } from "./hub-session.js";
import { openHubSession } from "./open-hub-session.js";

/**
 * A session for looking only (listings, plans): none when the user said --offline or HF_HUB_OFFLINE,
 * when the guard refuses this Hub, or when there is no token — a listing then simply says less.
 */
export async function openReadSession(params: SessionParams & { offline: boolean }): Promise<HubSession | undefined> {
  if (params.offline || params.env.hubOffline) {
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
