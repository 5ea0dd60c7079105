import { UsageError } from "../errors.js";
import { refNameProblem } from "../util/ref-name-problem.js";

/**
 * The tag a run's commit gets in a stable repo (one repo for every run): the run folder's name.
 * Undefined for a repo per run. A name git cannot take as a tag is refused here, before anything
 * is sent: the Hub would take the commit and then refuse its tag (400), leaving a run's commit
 * without its tag and each re-run another. With --create-pr no tag is made, so any name will do.
 */
export function runTag(
  settings: { repoId: string | undefined; createPr: boolean },
  runName: string,
): string | undefined {
  if (settings.repoId === undefined) {
    return undefined;
  }
  const problem = settings.createPr ? undefined : refNameProblem(runName);
  if (problem !== undefined) {
    throw new UsageError(
      `The run folder name "${runName}" cannot be the tag of its commit in ${settings.repoId}: ${problem} (git's rules for tag names)`,
      {
        hint: "Rename the run folder (letters, digits, '-', '_' and '.' are safe), or publish it to a repo of its own without --repo",
      },
    );
  }
  return runName;
}
