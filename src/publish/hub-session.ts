import type { RuntimeEnv } from "../env/read-env.js";
import type { UploadGuard } from "../hub/guard/check-upload-guard.js";
import type { HubClient } from "../hub/create-hub-client.js";
import type { NamespaceSource } from "../hub/hub-client.js";
import type { CommandEvent } from "../command-event.js";

/** What opening a session needs: where the token may come from, the namespace prefix, and the process's hooks. */
export interface SessionParams {
  env: RuntimeEnv;
  flagToken: string | undefined;
  repoPrefix: string | undefined;
  /** Where the repos' namespace comes from (for the hint of a 403). */
  namespaceSource: NamespaceSource;
  fetch: typeof fetch | undefined;
  signal: AbortSignal | undefined;
  onEvent: (event: CommandEvent) => void;
  registerSecret: ((secret: string) => void) | undefined;
  /** Offer Xet storage to the Hub (false with --no-xet or HF_HUB_DISABLE_XET). */
  xet: boolean;
}

/** The Hub as one upload (or a batch of them) sees it: the client, the guard's verdict, the namespace. */
export interface HubSession {
  client: HubClient;
  guard: UploadGuard;
  /** False for dry runs and when the guard refuses: then no request may be made. */
  online: boolean;
  /** The repos' namespace: the config's prefix, else the token owner (asked once, when first needed). */
  namespace(): Promise<string | undefined>;
  env: RuntimeEnv;
}
