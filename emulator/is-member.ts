import type { FakeHubUser } from "./types.js";

/** Whether `user` owns `namespace` or belongs to the org of that name (names match without regard to case). */
export function isMember(user: FakeHubUser | undefined, namespace: string): boolean {
  const wanted = namespace.toLowerCase();
  return user !== undefined && [user.name, ...(user.orgs ?? [])].some((name) => name.toLowerCase() === wanted);
}
