import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = path.join(ROOT, "src");

/** Every module under `root` (tests aside) → the modules under it it imports, type-only imports included. */
async function importGraph(root = SRC): Promise<Map<string, string[]>> {
  const files = (await readdir(root, { recursive: true }))
    .map((file) => file.split(path.sep).join("/"))
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = await readFile(path.join(root, file), "utf8");
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((match) =>
      path.posix.normalize(path.posix.join(path.posix.dirname(file), (match[1] ?? "").replace(/\.js$/, ".ts"))),
    );
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function folderOf(file: string): string {
  return file.includes("/") ? file.slice(0, file.indexOf("/")) : "(root)";
}

describe("the module structure", () => {
  it.each(["src", "emulator"])("%s/ has no import cycle, not even through type-only imports", async (folder) => {
    const graph = await importGraph(path.join(ROOT, folder));
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === "done") {
        return;
      }
      if (state.get(file) === "open") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) {
        visit(next, [...trail, file]);
      }
      state.set(file, "done");
    };
    for (const file of graph.keys()) {
      visit(file, []);
    }
    expect(cycles).toEqual([]);
  });

  it("has no two folders that import each other", async () => {
    const graph = await importGraph();
    const edges = new Set<string>();
    for (const [file, targets] of graph) {
      for (const target of targets) {
        if (folderOf(file) !== folderOf(target)) {
          edges.add(`${folderOf(file)} → ${folderOf(target)}`);
        }
      }
    }
    const twoWay = [...edges].filter((edge) => {
      const [from, to] = edge.split(" → ");
      return from !== "(root)" && to !== "(root)" && edges.has(`${to ?? ""} → ${from ?? ""}`);
    });
    expect(twoWay.sort()).toEqual([]);
  });

  it("keeps src/ (what the CLI ships) free of anything outside it, the emulator above all", async () => {
    const graph = await importGraph();
    const outside = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => target.startsWith("../")).map((target) => `${file} → ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it("lets only one module import @huggingface/hub and only cli.ts import yargs", async () => {
    const files = (await readdir(SRC, { recursive: true })).filter(
      (file) => file.endsWith(".ts") && !file.endsWith(".test.ts"),
    );
    const importers = async (pkg: string): Promise<string[]> => {
      const found: string[] = [];
      for (const file of files) {
        if ((await readFile(path.join(SRC, file), "utf8")).includes(`from "${pkg}"`)) {
          found.push(file.split(path.sep).join("/"));
        }
      }
      return found;
    };
    expect(await importers("@huggingface/hub")).toEqual(["hub/create-hub-client.ts"]);
    expect(await importers("yargs")).toEqual(["cli.ts"]);
  });
});
