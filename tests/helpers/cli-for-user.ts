import { spawnSync } from "node:child_process";
import { chmod, cp, mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { CLI_BIN, PROJECT_ROOT } from "./fixtures.js";

/**
 * The built CLI as another user can run it. The clone may sit in a folder only its owner can enter
 * (`mktemp -d`, root's home), so the bundle, the package.json it finds its version by and the
 * bundled config are copied into a temp folder everyone may read. Returns why it cannot be done
 * instead when that user cannot run node itself or reach the temp folder the tests work in.
 */
export async function cliForUser(user: { uid: number; gid: number }): Promise<{ bin: string } | { skip: string }> {
  const tmp = os.tmpdir();
  const node = spawnSync(process.execPath, ["-e", `require("node:fs").accessSync(${JSON.stringify(tmp)}, 3)`], {
    ...user,
    stdio: "ignore",
  });
  if (node.status !== 0) {
    return {
      skip: `uid ${user.uid} cannot run ${process.execPath} or use ${tmp} (${node.error?.message ?? `exit ${String(node.status)}`})`,
    };
  }
  const root = await mkdtemp(path.join(tmp, "pa-cli-"));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  const bundle = path.dirname(CLI_BIN);
  await cp(bundle, path.join(root, path.relative(PROJECT_ROOT, bundle)), { recursive: true });
  await cp(path.join(PROJECT_ROOT, "package.json"), path.join(root, "package.json"));
  await cp(path.join(PROJECT_ROOT, "config"), path.join(root, "config"), { recursive: true });
  // mkdtemp makes a folder only its owner may enter; the copy is for reading by anyone.
  await chmod(root, 0o755);
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  return { bin: path.join(root, path.relative(PROJECT_ROOT, CLI_BIN)) };
}
