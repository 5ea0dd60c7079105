import { commentData } from "../comment-data.js";
import { discussionEvent } from "../discussion-event.js";
import { discussionEventJson, discussionJson } from "../discussion-json.js";
import { hubError } from "../hub-error.js";
import { jsonResponse } from "../json-response.js";
import { mergePullRequest } from "../merge-pull-request.js";
import type { RouteContext } from "../route-context.js";
import type { FakeDiscussionEvent, RepoType } from "../types.js";

type Body = Record<string, unknown>;

const validTitle = (value: unknown): string | undefined => {
  const title = typeof value === "string" ? value.trim() : "";
  return title.length >= 3 && title.length <= 200 ? title : undefined;
};

/**
 * One discussion or pull request, `/api/{type}s/{id}/discussions/{num}[/...]`: `GET` its details and
 * events; `POST .../comment {comment}` → `{newMessage}`; `.../status {status: open|closed, comment?}`
 * → `{newStatus}` (its author or a writer of the repo); `.../title {title}` → `{newTitle}`;
 * `.../merge {comment?}` merges an open (not draft) pull request into its branch (writers only; 409
 * on a conflict); `.../comment/{id}/edit {content}` and `.../comment/{id}/hide` → `{updatedComment}`.
 */
export async function discussionRoute(
  ctx: RouteContext,
  type: RepoType,
  id: string,
  num: number,
  rest: readonly string[],
): Promise<Response> {
  const repo = ctx.hub.access(ctx, type, id, "read");
  if (repo instanceof Response) {
    return repo;
  }
  const discussion = repo.discussions.get(num);
  if (discussion === undefined) {
    return hubError(404, `Discussion #${num} not found`);
  }
  const method = ctx.request.method;
  if (method === "GET" && rest.length === 0) {
    return jsonResponse(discussionJson(repo, discussion, true));
  }
  if (method !== "POST" || rest.length === 0) {
    return hubError(404, `emulator: no route for ${method} discussions/${num}/${rest.join("/")}`);
  }
  const user = ctx.user;
  if (user === undefined) {
    return hubError(401, "You must be authenticated to change a discussion");
  }
  const writer = !(ctx.hub.access(ctx, type, id, "write") instanceof Response);
  const owner = writer || discussion.author.toLowerCase() === user.name.toLowerCase();
  const body = ((await ctx.request.json().catch(() => undefined)) ?? {}) as Body;
  const add = async (event: FakeDiscussionEvent, key: string): Promise<Response> => {
    discussion.events.push(event);
    await ctx.hub.save();
    return jsonResponse({ [key]: discussionEventJson(event) });
  };
  const [action, commentId, commentAction] = rest;

  if (action === "comment" && rest.length === 1) {
    const comment = typeof body.comment === "string" ? body.comment : "";
    if (comment.trim() === "") {
      return hubError(400, "A comment cannot be empty");
    }
    return add(discussionEvent("comment", user.name, commentData(comment, user.name)), "newMessage");
  }
  if (action === "comment" && rest.length === 3 && (commentAction === "edit" || commentAction === "hide")) {
    const event = discussion.events.find((e) => e.id === commentId && e.type === "comment");
    if (event === undefined) {
      return hubError(404, `Comment ${commentId ?? ""} not found`);
    }
    if (commentAction === "edit") {
      if (event.author.toLowerCase() !== user.name.toLowerCase()) {
        return hubError(403, "Only the author of a comment can edit it");
      }
      const content = typeof body.content === "string" ? body.content : "";
      if (content.trim() === "") {
        return hubError(400, "A comment cannot be empty");
      }
      event.data = commentData(content, user.name, { history: (event.data.history as unknown[] | undefined) ?? [] });
    } else {
      if (!writer) {
        return hubError(403, "Only a writer of the repo can hide a comment");
      }
      event.data = { ...event.data, hidden: true };
    }
    await ctx.hub.save();
    return jsonResponse({ updatedComment: discussionEventJson(event) });
  }
  if (action === "status" && rest.length === 1) {
    if (!owner) {
      return hubError(403, "Only the author of the discussion or a writer of the repo can change its status");
    }
    if (body.status !== "open" && body.status !== "closed") {
      return hubError(400, 'status must be "open" or "closed"');
    }
    if (discussion.status === "merged") {
      return hubError(400, "A merged pull request cannot change status");
    }
    discussion.status = body.status;
    if (typeof body.comment === "string" && body.comment.trim() !== "") {
      discussion.events.push(discussionEvent("comment", user.name, commentData(body.comment, user.name)));
    }
    return add(discussionEvent("status-change", user.name, { status: body.status }), "newStatus");
  }
  if (action === "title" && rest.length === 1) {
    if (!owner) {
      return hubError(403, "Only the author of the discussion or a writer of the repo can rename it");
    }
    const title = validTitle(body.title);
    if (title === undefined) {
      return hubError(400, "The title must be 3 to 200 characters long");
    }
    const from = discussion.title;
    discussion.title = title;
    return add(discussionEvent("title-change", user.name, { from, to: title }), "newTitle");
  }
  if (action === "merge" && rest.length === 1) {
    if (!discussion.isPullRequest) {
      return hubError(400, `#${num} is a discussion, not a pull request`);
    }
    if (!writer) {
      return hubError(403, `You don't have the rights to merge into this ${type} repo (${repo.id})`);
    }
    if (discussion.status !== "open") {
      return hubError(400, `Only an open pull request can be merged; #${num} is ${discussion.status}`);
    }
    const merged = mergePullRequest(repo, discussion, user.name);
    if ("missingBranch" in merged) {
      return hubError(400, `The branch ${merged.missingBranch} of #${num} no longer exists`);
    }
    if ("conflicts" in merged) {
      return hubError(409, `The pull request has conflicts with ${discussion.target}: ${merged.conflicts.join(", ")}`);
    }
    discussion.status = "merged";
    discussion.mergeCommit = merged.commit.oid;
    if (typeof body.comment === "string" && body.comment.trim() !== "") {
      discussion.events.push(discussionEvent("comment", user.name, commentData(body.comment, user.name)));
    }
    return add(discussionEvent("status-change", user.name, { status: "merged" }), "newStatus");
  }
  return hubError(404, `emulator: no route for POST discussions/${num}/${rest.join("/")}`);
}
