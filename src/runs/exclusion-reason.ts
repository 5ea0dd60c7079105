const EXCLUDED_DIRS: Readonly<Record<string, string>> = {
  ".git": "git metadata",
  ".cache": "cache folder",
  __pycache__: "Python cache",
  ".ipynb_checkpoints": "notebook checkpoints",
};

/** mlx-lm writes `{iteration:07d}_adapters.safetensors` every `save_every` steps (tuner/trainer.py). */
export const CHECKPOINT_NAME = /^\d{7}_adapters\.safetensors$/;

/**
 * Pure: why a run-relative POSIX path is left out of the upload, or null to keep it. For a path
 * inside an excluded folder, `prefix` names that folder so a listing can report it once.
 */
export function exclusionReason(rel: string): { reason: string; prefix: string } | null {
  const parts = rel.split("/");
  for (let i = 0; i < parts.length - 1; i++) {
    const reason = EXCLUDED_DIRS[parts[i] ?? ""];
    if (reason !== undefined) {
      return { reason, prefix: `${parts.slice(0, i + 1).join("/")}/` };
    }
  }
  const base = parts[parts.length - 1] ?? "";
  if (base === ".git") {
    return { reason: "git metadata", prefix: rel };
  }
  if (base === ".DS_Store") {
    return { reason: "macOS folder metadata", prefix: rel };
  }
  if (base.endsWith(".pyc")) {
    return { reason: "Python bytecode", prefix: rel };
  }
  if (CHECKPOINT_NAME.test(base)) {
    return { reason: "intermediate training checkpoint", prefix: rel };
  }
  return null;
}
