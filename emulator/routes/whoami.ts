import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import type { RouteContext } from "../route-context.js";

/** `GET /api/whoami-v2`: the token owner, with the `auth.accessToken` that @huggingface/hub dereferences. */
export function whoamiRoute(ctx: RouteContext): Response {
  const user = ctx.user;
  if (!user) {
    return hubError(401, "You must be authenticated");
  }
  return jsonResponse({
    type: "user",
    id: `id-${user.name}`,
    name: user.name,
    fullname: user.name,
    email: `${user.name}@example.test`,
    emailVerified: true,
    isPro: false,
    canPay: false,
    avatarUrl: "",
    periodEnd: null,
    orgs: (user.orgs ?? []).map((name) => ({
      type: "org",
      name,
      fullname: name,
      id: `id-${name}`,
      roleInOrg: "write",
    })),
    auth: {
      type: "access_token",
      accessToken: {
        displayName: "emulator",
        role: user.canWrite === false ? "read" : "write",
        createdAt: new Date(0).toISOString(),
      },
    },
  });
}
