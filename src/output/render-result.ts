import type { ProcessResult, RepoResult } from "../results/types.js";
import { KIND_LABELS } from "../runs/detect-artifact-kinds.js";
import { formatBytes } from "../util/format-bytes.js";

/** What a stable repo's commit removed, and what it left because the tool did not publish it. */
function otherFileLines(repo: Pick<RepoResult, "deleted" | "kept">): string[] {
  return [
    ...((repo.deleted ?? []).length > 0
      ? [`   Removed files an earlier run published: ${(repo.deleted ?? []).join(", ")}`]
      : []),
    ...((repo.kept ?? []).length > 0
      ? [`   Kept files the tool did not publish: ${(repo.kept ?? []).join(", ")}`]
      : []),
  ];
}

function datasetLines(dataset: RepoResult | undefined, result: ProcessResult): string[] {
  if (dataset === undefined) {
    return [];
  }
  const summary = `${dataset.files.length} files, ${formatBytes(dataset.totalBytes)}`;
  switch (dataset.status) {
    case "uploaded":
      return [
        dataset.pullRequest === undefined
          ? `✅ Dataset uploaded successfully: ${dataset.url ?? ""}`
          : `✅ Dataset pull request opened: ${dataset.pullRequest.url}`,
        `   Repo: ${dataset.repoId ?? ""} (${dataset.created ? "created" : "existing"}, ${dataset.private ? "private" : "public"})`,
        ...(dataset.commit ? [`   Commit: ${dataset.commit.oid} ${dataset.commit.url}`] : []),
        ...otherFileLines(dataset),
      ];
    case "unchanged":
      return [
        dataset.pullRequest === undefined
          ? `✅ Dataset already up to date: ${dataset.url ?? ""}`
          : `✅ Dataset pull request already open: ${dataset.pullRequest.url}`,
        ...otherFileLines(dataset),
      ];
    case "blocked":
      return [`   Would have uploaded the training data (${summary}) to: ${dataset.url ?? ""}`];
    case "dry-run":
      return [
        `   Dataset repo: ${dataset.repoId ?? ""} on ${result.hubUrl} (${dataset.private ? "private" : "public"}), ${summary}:`,
        ...dataset.files.map(
          (file) => `     ${file.path}  ${formatBytes(file.size)}${file.origin === "run" ? "" : `  [${file.origin}]`}`,
        ),
      ];
  }
}

/**
 * Pure: the human summary on stdout. The first lines keep the old Python tool's wording
 * ("Using model artifacts: …", "Upload blocked - test environment detected") because pipeline
 * checks grep for them.
 */
export function renderResult(result: ProcessResult): string {
  const lines: string[] = [];
  const { run } = result;
  if (run.selectedBy === "direct") {
    lines.push(`📂 Using direct model path: ${run.path}`);
  } else if (run.selectedBy === "explicit") {
    lines.push(`🎯 Using run selected with --run: ${run.path}`);
  } else {
    lines.push(`🎯 Found fine-tuned model directory: ${run.path}`);
  }
  for (const skipped of result.skippedRuns) {
    lines.push(`   (skipped the newer ${skipped.name}: incomplete)`);
  }
  if (run.layout === "staged") {
    lines.push(`📋 Staged run: publishing ${run.modelPath}`);
  }
  lines.push(`📁 Using model artifacts: ${run.modelPath}`);
  const what = `${run.kinds.map((kind) => KIND_LABELS[kind]).join(" + ")}${result.converted ? " (converted to PEFT)" : ""}`;
  const summary = `${result.files.length} files, ${formatBytes(result.totalBytes)}`;

  switch (result.status) {
    case "uploaded": {
      lines.push(...datasetLines(result.dataset, result));
      if (result.pullRequest !== undefined) {
        lines.push(`✅ Pull request opened: ${result.pullRequest.url}`);
        lines.push(`   ${result.branch ?? "main"} of ${result.repoId ?? ""} is unchanged until it is merged`);
      } else {
        lines.push(`✅ Model uploaded successfully: ${result.url ?? ""}`);
      }
      lines.push(
        `   Repo: ${result.repoId ?? ""} (${result.created ? "created" : "existing"}, ${result.private ? "private" : "public"})`,
      );
      if (result.commit) {
        lines.push(
          `   Commit: ${result.commit.oid} ${result.commit.url}${result.branch !== undefined && result.branch !== "main" ? ` (branch ${result.branch})` : ""}`,
        );
      }
      if (result.tag !== undefined) {
        lines.push(`   Tag: ${result.tag.name}`);
      }
      lines.push(...otherFileLines(result));
      const sent = result.sent ?? [];
      lines.push(
        sent.length === result.files.length
          ? `   Uploaded: ${what}, ${summary}`
          : `   Uploaded: ${what}; ${sent.length} of ${result.files.length} files changed (${sent.join(", ")}), the rest is already on the Hub`,
      );
      if (result.storage !== undefined && result.storage.bytes > 0) {
        const { bytes, sentBytes, dedupedBytes } = result.storage;
        lines.push(
          `   Sent ${formatBytes(sentBytes)} to storage${dedupedBytes > 0 ? `; ${formatBytes(dedupedBytes)} of ${formatBytes(bytes)} already on the Hub` : ""}`,
        );
      }
      break;
    }
    case "unchanged":
      lines.push(...datasetLines(result.dataset, result));
      if (result.pullRequest === undefined) {
        lines.push(
          `✅ Already up to date: ${result.url ?? ""}${result.tag === undefined ? "" : ` (tag ${result.tag.name})`}`,
        );
        if (result.commit) {
          lines.push(`   Commit: ${result.commit.oid} ${result.commit.url} (already there)`);
        }
        lines.push(`   All ${summary} are already on the Hub; nothing was sent and no commit was made`);
      } else {
        lines.push(`✅ Pull request already open: ${result.pullRequest.url}`);
        lines.push(`   It already proposes these ${summary}; nothing was sent and no pull request was opened`);
      }
      lines.push(...otherFileLines(result));
      break;
    case "blocked":
      lines.push("🛑 Upload blocked - test environment detected");
      lines.push(`   Reason: ${result.reason ?? ""}; nothing was sent`);
      lines.push(`   Would have uploaded ${what} (${summary}) to: ${result.url ?? ""}`);
      lines.push(...datasetLines(result.dataset, result));
      break;
    case "skipped":
      lines.push(`🛑 Upload skipped (${result.reason ?? ""})`);
      break;
    case "dry-run":
      lines.push("📝 Dry run: validated and staged, nothing was sent");
      lines.push(
        `   Run: ${run.name}${run.timestamp === undefined ? "" : ` (${run.timestamp.replace("T", " ")})`}: ${what}`,
      );
      lines.push(
        `   Repo: ${result.repoId ?? `<token owner>/${run.name}`} on ${result.hubUrl} (${result.private ? "private" : "public"})`,
      );
      lines.push(`   Files (${summary}):`);
      for (const file of result.files) {
        lines.push(`     ${file.path}  ${formatBytes(file.size)}${file.origin === "run" ? "" : `  [${file.origin}]`}`);
      }
      for (const entry of result.excluded) {
        lines.push(`     (excluded) ${entry.path}: ${entry.reason}`);
      }
      lines.push(...datasetLines(result.dataset, result));
      for (const note of result.notes) {
        lines.push(`   Note: ${note}`);
      }
      break;
  }
  return `${lines.join("\n")}\n`;
}
