import type { RepoType } from "./types.js";

const MODEL_RULES = [
  "*.7z",
  "*.arrow",
  "*.bin",
  "*.bz2",
  "*.ckpt",
  "*.ftz",
  "*.gz",
  "*.h5",
  "*.joblib",
  "*.lfs.*",
  "*.mlmodel",
  "*.model",
  "*.msgpack",
  "*.npy",
  "*.npz",
  "*.onnx",
  "*.ot",
  "*.parquet",
  "*.pb",
  "*.pickle",
  "*.pkl",
  "*.pt",
  "*.pth",
  "*.rar",
  "*.safetensors",
  "saved_model/**/*",
  "*.tar.*",
  "*.tar",
  "*.tflite",
  "*.tgz",
  "*.wasm",
  "*.xz",
  "*.zip",
  "*.zst",
  "*tfevents*",
];

const PACKED_AT = MODEL_RULES.indexOf("*.mlmodel");

/** A dataset repo's template adds packed-data formats and media (the comments are the template's). */
const DATASET_RULES = [
  ...MODEL_RULES.slice(0, PACKED_AT),
  "*.lz4",
  "*.mds",
  ...MODEL_RULES.slice(PACKED_AT),
  "# Audio files - uncompressed",
  "*.pcm",
  "*.sam",
  "*.raw",
  "# Audio files - compressed",
  "*.aac",
  "*.flac",
  "*.mp3",
  "*.ogg",
  "*.wav",
  "# Image files - uncompressed",
  "*.bmp",
  "*.gif",
  "*.png",
  "*.tiff",
  "# Image files - compressed",
  "*.jpg",
  "*.jpeg",
  "*.webp",
  "# Video files - compressed",
  "*.mp4",
  "*.webm",
];

/**
 * The `.gitattributes` of the Hub's "initial commit" in a new repo: the LFS rules of its template for
 * the repo type (a dataset's adds media and packed-data formats).
 */
export function defaultGitAttributes(type: RepoType): string {
  const lines = (type === "dataset" ? DATASET_RULES : MODEL_RULES).map((line) =>
    line.startsWith("#") ? line : `${line} filter=lfs diff=lfs merge=lfs -text`,
  );
  return `${lines.join("\n")}\n`;
}
