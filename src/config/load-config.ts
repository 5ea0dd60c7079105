import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { parseConfig, type Config, type ConfigOverrides } from "./parse-config.js";

export const CONFIG_RELATIVE_PATH = path.join("config", "olmo-security-config.yaml");

export interface LoadConfigParams {
  /** --config, highest precedence. */
  flagPath: string | undefined;
  /** OLMO_CONFIG. */
  envPath: string | undefined;
  cwd: string;
  home: string;
  /** The installed package root, whose bundled config is the last fallback. */
  packageRoot: string;
  overrides: ConfigOverrides;
}

export interface LoadedConfig {
  config: Config;
  warnings: string[];
  /** Absolute path of the file that was read. */
  path: string;
  /** How it was chosen: "--config", "OLMO_CONFIG", "project" or "bundled". */
  origin: "--config" | "OLMO_CONFIG" | "project" | "bundled";
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Chooses the config file (--config > OLMO_CONFIG > ./config/… > the bundled one), reads it, delegates to parseConfig. */
export async function loadConfig(params: LoadConfigParams): Promise<LoadedConfig> {
  let file: string;
  let origin: LoadedConfig["origin"];
  if (params.flagPath !== undefined) {
    file = path.resolve(params.cwd, params.flagPath);
    origin = "--config";
  } else if (params.envPath !== undefined) {
    file = params.envPath;
    origin = "OLMO_CONFIG";
  } else if (await exists(path.join(params.cwd, CONFIG_RELATIVE_PATH))) {
    file = path.join(params.cwd, CONFIG_RELATIVE_PATH);
    origin = "project";
  } else {
    file = path.join(params.packageRoot, CONFIG_RELATIVE_PATH);
    origin = "bundled";
  }

  const shown = displayPath(file, params.cwd);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const from = origin === "--config" ? " (from --config)" : origin === "OLMO_CONFIG" ? " (from OLMO_CONFIG)" : "";
    if (code === "ENOENT") {
      throw new ConfigError(`Config file not found: ${shown}${from}`, {
        hint: "Check the path, or omit --config/OLMO_CONFIG to use config/olmo-security-config.yaml",
        cause: error,
      });
    }
    if (code === "EISDIR") {
      throw new ConfigError(`Config path is a directory, not a file: ${shown}${from}`, { cause: error });
    }
    throw new ConfigError(`Cannot read config file ${shown}${from}: ${code ?? String(error)}`, {
      hint: "Check the file's permissions",
      cause: error,
    });
  }

  const { config, warnings } = parseConfig(text, {
    displayPath: shown,
    home: params.home,
    cwd: params.cwd,
    overrides: params.overrides,
  });
  return { config, warnings, path: file, origin };
}
