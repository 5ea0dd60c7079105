import { UsageError } from "../errors.js";
import { checkUploadGuard } from "../hub/guard/check-upload-guard.js";
import { createHubClient } from "../hub/create-hub-client.js";
import { resolveToken } from "../hub/resolve-token.js";
import type { HubSession, SessionParams } from "./hub-session.js";

/**
 * Decides whether this process may talk to the Hub at all (the test-environment guard, dry run),
 * and only then resolves the token and builds the client. Nothing here sends a request.
 */
export async function openHubSession(params: SessionParams & { dryRun: boolean }): Promise<HubSession> {
  const { env } = params;
  const guard = checkUploadGuard({ hubUrl: env.hubUrl, testSignals: env.testSignals });
  const online = guard.allowed && !params.dryRun;
  if (online && env.hubOffline) {
    throw new UsageError("HF_HUB_OFFLINE is set, and an upload needs the Hub", {
      hint: "Unset HF_HUB_OFFLINE to upload; --dry-run and --list-runs work offline",
    });
  }
  const token = online
    ? await resolveToken({ flagToken: params.flagToken, envToken: env.hfToken, tokenPaths: env.tokenPaths })
    : undefined;
  if (token) {
    params.registerSecret?.(token.token);
    params.onEvent({ type: "info", verbose: true, message: `Token: from ${token.source}` });
  }
  const client = createHubClient({
    hubUrl: env.hubUrl,
    token: token?.token,
    testSignals: env.testSignals,
    network: env.network,
    namespaceSource: params.namespaceSource,
    xet: params.xet,
    onRetry: (info) => params.onEvent({ type: "retry", ...info }),
    ...(params.fetch === undefined ? {} : { fetch: params.fetch }),
    ...(params.signal === undefined ? {} : { signal: params.signal }),
  });
  let owner: Promise<string> | undefined;
  return {
    client,
    guard,
    online,
    env,
    namespace: () => {
      if (params.repoPrefix !== undefined) {
        return Promise.resolve(params.repoPrefix);
      }
      if (!online) {
        return Promise.resolve(undefined);
      }
      owner ??= client.whoAmI();
      return owner;
    },
  };
}
