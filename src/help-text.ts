import { CLI_OPTIONS, DESCRIPTION, EPILOGUE } from "./cli-options.js";

/** Pure: the `--help` text, rendered from the same option table yargs parses with. */
export function helpText(): string {
  const rows = Object.entries(CLI_OPTIONS).map(([name, option]) => {
    const alias = "alias" in option ? `-${option.alias}, ` : "    ";
    const value = option.type === "string" ? ("choices" in option ? ` <${option.choices.join("|")}>` : " <value>") : "";
    return [`  ${alias}--${name}${value}`, option.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [
    "Usage: process-artifacts [--only-upload] [options]",
    "",
    DESCRIPTION,
    "",
    "Options:",
    ...rows.map(([flag, description]) => `${flag.padEnd(width)}${description}`),
    "",
    EPILOGUE,
    "",
  ].join("\n");
}
