import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "./fixtures.js";

/** The project's python environment, made by scripts/setup-python.sh with the pinned conformance packages. */
export const VENV_PYTHON = path.join(PROJECT_ROOT, ".venv", "bin", "python");

/** What the conformance suite imports (tests/conformance/requirements.txt). */
export const CONFORMANCE_MODULES = ["pytest", "huggingface_hub", "hf_xet", "datasets"];

const found = new Map<string, { python: string } | { missing: string }>();

/**
 * The python that tests run pytest with: the project's .venv when it has `modules`, else python3 when
 * it has them; or why there is none. The one place that decides whether a python test runs or is
 * skipped (CI builds .venv first, and must not skip: see tests/global-setup.ts).
 */
export function findPython(modules: readonly string[]): { python: string } | { missing: string } {
  const key = modules.join(",");
  const known = found.get(key);
  if (known !== undefined) {
    return known;
  }
  const check = `import ${modules.join(", ")}`;
  const candidates = [...(existsSync(VENV_PYTHON) ? [VENV_PYTHON] : []), "python3"];
  const python = candidates.find((candidate) => spawnSync(candidate, ["-c", check], { stdio: "ignore" }).status === 0);
  const answer =
    python === undefined
      ? { missing: `no python with ${modules.join(", ")} (.venv: run scripts/setup-python.sh)` }
      : { python };
  found.set(key, answer);
  return answer;
}
