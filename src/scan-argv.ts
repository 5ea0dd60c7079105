import { CLI_OPTIONS } from "./cli-options.js";

type OptionName = keyof typeof CLI_OPTIONS;

const BY_ALIAS = new Map<string, OptionName>(
  Object.entries(CLI_OPTIONS).flatMap(([name, option]) =>
    "alias" in option ? [[option.alias, name as OptionName] as const] : [],
  ),
);

/**
 * Pure: the flags that must be known before yargs is loaded — to answer --help and --version at
 * once, to print errors as --json asks, and to mask a --token in every line — read with the same
 * option table yargs parses with, so a value that looks like a flag (`--run --json`) is a value.
 */
export function scanArgv(argv: readonly string[]): {
  flags: ReadonlySet<OptionName>;
  values: ReadonlyMap<OptionName, string[]>;
} {
  const flags = new Set<OptionName>();
  const values = new Map<OptionName, string[]>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    if (arg === "--") {
      break;
    }
    const long = /^--(?:no-)?([^=]+)(?:=(.*))?$/.exec(arg);
    const short = /^-([A-Za-z])$/.exec(arg);
    const name = long ? (long[1] as OptionName) : short ? BY_ALIAS.get(short[1] ?? "") : undefined;
    if (name === undefined || !(name in CLI_OPTIONS)) {
      continue;
    }
    flags.add(name);
    if (CLI_OPTIONS[name].type === "string") {
      const value = long?.[2] ?? argv[++index];
      if (value !== undefined) {
        values.set(name, [...(values.get(name) ?? []), value]);
      }
    }
  }
  return { flags, values };
}
