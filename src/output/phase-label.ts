const LABELS: Readonly<Record<string, string>> = {
  "creating-repo": "Creating the repo",
  preuploading: "Checking files with the Hub",
  hashing: "Hashing",
  uploading: "Uploading",
  committing: "Committing",
};

/** Pure: how a phase of the upload is named on screen. */
export function phaseLabel(phase: string): string {
  return LABELS[phase] ?? phase;
}
