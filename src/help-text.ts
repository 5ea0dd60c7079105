import { CLI_OPTIONS, DESCRIPTION, EPILOGUE } from "./cli-options.js";
import { wrapHelp } from "./output/wrap-help.js";

/**
 * Pure: the `--help` text, rendered from the same option table yargs parses with; fitted to
 * `columns` when it goes to a terminal that wide, and left as written otherwise (a pipe, a file).
 */
export function helpText(columns?: number): string {
  const rows = Object.entries(CLI_OPTIONS).map(([name, option]) => {
    const alias = "alias" in option ? `-${option.alias}, ` : "    ";
    const value = option.type === "string" ? ("choices" in option ? ` <${option.choices.join("|")}>` : " <value>") : "";
    return [`  ${alias}--${name}${value}`, option.description] as const;
  });
  const flagColumn = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const text = [
    "Usage: process-artifacts [--only-upload] [options]",
    "",
    DESCRIPTION,
    "",
    "Options:",
    ...rows.map(([flag, description]) => `${flag.padEnd(flagColumn)}${description}`),
    "",
    EPILOGUE,
    "",
  ].join("\n");
  return columns === undefined ? text : wrapHelp(text, columns);
}
