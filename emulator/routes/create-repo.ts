import { randomBytes } from "node:crypto";
import { addInitialCommit } from "../add-initial-commit.js";
import { FakeRepo } from "../fake-repo.js";
import { hubError } from "../hub-error.js";
import { isMember } from "../is-member.js";
import { isRepoName } from "../is-repo-name.js";
import { jsonResponse } from "../json-response.js";
import { repoUrl } from "../repo-url.js";
import type { RouteContext } from "../route-context.js";

/**
 * `POST /api/repos/create` `{name, organization?, type?, visibility? | private?}`: as on the Hub, the
 * new repo's main starts with an "initial commit" holding `.gitattributes`; a repo that exists under
 * any case of the id is a 409.
 */
export async function createRepoRoute(ctx: RouteContext): Promise<Response> {
  const user = ctx.user;
  if (!user) {
    return hubError(401, "You must be authenticated to create a repo");
  }
  const body = (await ctx.request.json().catch(() => undefined)) as
    { name?: unknown; organization?: unknown; type?: unknown; visibility?: unknown; private?: unknown } | undefined;
  if (body === undefined) {
    return hubError(400, "Expected a JSON body");
  }
  const type = body.type ?? "model";
  if (type === "space") {
    return hubError(400, "The emulator serves model and dataset repos, not Spaces");
  }
  if (type !== "model" && type !== "dataset") {
    return hubError(400, `Invalid repo type ${JSON.stringify(type)}`);
  }
  const namespace = typeof body.organization === "string" && body.organization !== "" ? body.organization : user.name;
  const name = typeof body.name === "string" ? body.name : "";
  if (!isRepoName(name)) {
    return hubError(400, "Invalid repo name: letters, digits, '-', '_' and '.' only, 96 characters at most");
  }
  if (!isMember(user, namespace) || user.canWrite === false) {
    return hubError(403, `You don't have the rights to create a ${type} under the namespace "${namespace}"`);
  }
  const id = `${namespace}/${name}`;
  const existing = ctx.hub.repo(type, id);
  if (existing) {
    return jsonResponse({ error: `You already created this ${type} repo`, url: repoUrl(ctx.origin, existing) }, 409, {
      "x-error-message": `You already created this ${type} repo`,
    });
  }
  const repo = new FakeRepo({ type, id, private: body.visibility === "private" || body.private === true });
  addInitialCommit(repo, user.name);
  ctx.hub.repos.set(repo.key, repo);
  await ctx.hub.save();
  return jsonResponse({ url: repoUrl(ctx.origin, repo), name: id, id: randomBytes(12).toString("hex") });
}
