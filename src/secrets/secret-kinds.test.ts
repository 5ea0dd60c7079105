import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SECRET_KINDS } from "./secret-kinds.js";

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../README.md");

describe("the kinds of secret", () => {
  it("are the ones README's Reliability section lists, no more and no fewer", async () => {
    const readme = await readFile(README, "utf8");
    const section = readme.slice(readme.indexOf("## Reliability and safety"));
    const sentence = /The kinds found: ([\s\S]*?)`\.env` and `\.netrc` files/.exec(section)?.[1] ?? "";
    const listed = [...sentence.matchAll(/\*\*([\s\S]+?)\*\*/g)].map((match) => (match[1] ?? "").replace(/\s+/g, " "));

    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed)).toEqual(new Set(SECRET_KINDS.map((kind) => kind.kind)));
  });
});
