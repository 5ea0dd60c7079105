import { expect } from "vitest";

interface CommitLike {
  title: string;
  operations: Array<{ key: string; path: string }>;
}

/**
 * main's commits after the Hub's "initial commit", oldest first: every repo the Hub creates starts
 * with one, holding only `.gitattributes`, and this checks that it is there before it is left out.
 * A repo that does not exist has none.
 */
export function commitsAfterInitial<C extends CommitLike>(repo: { commits: C[] } | undefined): C[] {
  if (repo === undefined) {
    return [];
  }
  const [initial, ...rest] = repo.commits;
  expect(initial?.title).toBe("initial commit");
  expect(initial?.operations).toEqual([{ key: "file", path: ".gitattributes" }]);
  return rest;
}
