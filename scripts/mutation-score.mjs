// @ts-check
// Prints the mutation score of each group in stryker.config.mjs from the last `npm run mutate`
// (reports/mutation/mutation.json), then every mutant that survived or that no test reached.
//   node scripts/mutation-score.mjs [report.json]
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MUTATED_GROUPS } from "../stryker.config.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reportFile = path.resolve(process.argv[2] ?? path.join(root, "reports", "mutation", "mutation.json"));
/** @type {{ files: Record<string, { mutants: Array<{ mutatorName: string, replacement?: string, status: string, location: { start: { line: number, column: number } } }> }> }} */
const report = JSON.parse(await readFile(reportFile, "utf8"));

/** @param {string} file */
const mutantsOf = (file) =>
  Object.entries(report.files).find(([name]) => path.resolve(root, name) === path.resolve(root, file))?.[1].mutants ??
  [];

/** @type {string[]} */
const escaped = [];
for (const [group, files] of Object.entries(MUTATED_GROUPS)) {
  let killed = 0;
  let survived = 0;
  let noCoverage = 0;
  for (const file of files) {
    for (const mutant of mutantsOf(file)) {
      // Compile errors and ignored mutants do not count, as in Stryker's own score.
      if (mutant.status === "Killed" || mutant.status === "Timeout") {
        killed++;
      } else if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
        if (mutant.status === "Survived") {
          survived++;
        } else {
          noCoverage++;
        }
        const { line, column } = mutant.location.start;
        escaped.push(`${file}:${line}:${column} ${mutant.status} ${mutant.mutatorName} ${mutant.replacement ?? ""}`);
      }
    }
  }
  const valid = killed + survived + noCoverage;
  const score = valid === 0 ? "n/a" : `${((100 * killed) / valid).toFixed(1)}%`;
  process.stdout.write(
    `${group.padEnd(20)} ${score.padStart(6)}  killed ${killed}, survived ${survived}, no coverage ${noCoverage}\n`,
  );
}
process.stdout.write(escaped.length === 0 ? "\nNo mutant survived.\n" : `\n${escaped.join("\n")}\n`);
