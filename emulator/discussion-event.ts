import { randomBytes } from "node:crypto";
import type { FakeDiscussionEvent } from "./types.js";

/** A new discussion event by `author`, now, with a fresh 24-hex id (the Hub's ids look like that). */
export function discussionEvent(
  type: FakeDiscussionEvent["type"],
  author: string,
  data: Record<string, unknown>,
): FakeDiscussionEvent {
  return { id: randomBytes(12).toString("hex"), type, author, createdAt: new Date().toISOString(), data };
}
