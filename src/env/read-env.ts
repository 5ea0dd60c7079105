import path from "node:path";
import { resolveUserPath } from "../util/resolve-user-path.js";
import { UsageError } from "../errors.js";
import { detectTestEnvironment } from "./detect-test-environment.js";

export const DEFAULT_HUB_URL = "https://huggingface.co";

/**
 * Everything this tool takes from the environment, read once. Precedence everywhere is
 * flag > environment > config file > default; the flag half is applied by the command.
 */
export interface RuntimeEnv {
  home: string;
  cwd: string;
  tmpDir: string;
  /** Hub base URL without a trailing slash. */
  hubUrl: string;
  /** HF_TOKEN (or the legacy HUGGING_FACE_HUB_TOKEN), trimmed; undefined when unset or blank. */
  hfToken: string | undefined;
  /** Where a stored token may be, tried in order: $HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token. */
  tokenPaths: string[];
  /** Per-user cache for this tool (hash cache, locks): $XDG_CACHE_HOME/process-artifacts. */
  cacheDir: string;
  configPath: string | undefined;
  fineTunedModelsDir: string | undefined;
  baseModelsDir: string | undefined;
  defaultBaseModel: string | undefined;
  /** OLMO_BASE_MODEL_HF_ID, as the pipeline's config_manager reads it. */
  baseModelHfId: string | undefined;
  /** Non-empty when a test runner is detected, e.g. ["VITEST", "NODE_ENV=test"]. */
  testSignals: string[];
  /** Network tuning: PROCESS_ARTIFACTS_MAX_RETRIES, _RETRY_BASE_MS, _TIMEOUT_MS. */
  network: { maxRetries: number; retryBaseMs: number; timeoutMs: number };
  /** HF_HUB_DISABLE_PROGRESS_BARS set to 1/ON/YES/TRUE (any case), as huggingface_hub reads it. */
  disableProgressBars: boolean;
  /** HF_HUB_OFFLINE set to 1/ON/YES/TRUE (any case), as huggingface_hub reads it: no request to the Hub at all. */
  hubOffline: boolean;
  /** HF_HUB_DISABLE_XET set to 1/ON/YES/TRUE (any case), as huggingface_hub reads it: uploads through LFS only. */
  disableXet: boolean;
}

function nonNegativeInt(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = nonBlank(env[name]);
  if (raw === undefined) {
    return fallback;
  }
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new UsageError(`${name} must be a whole number, got "${raw}"`, {
      hint: `Unset it to use the default (${fallback})`,
    });
  }
  return Number(raw);
}

export interface EnvDefaults {
  home: string;
  cwd: string;
  tmpDir: string;
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** huggingface_hub's reading of a boolean variable (constants.py `_is_true`). */
function isTrue(value: string | undefined): boolean {
  return ["1", "ON", "YES", "TRUE"].includes(nonBlank(value)?.toUpperCase() ?? "");
}

/**
 * The endpoint as messages may quote it: anything up to the last "@" (user, password, whatever
 * unencoded characters they hold) becomes "***", whether or not the value parses as a URL.
 */
function withoutCredentials(raw: string): string {
  return raw.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?.*@/s, "$1***@");
}

function parseHubUrl(raw: string): string {
  const shown = withoutCredentials(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`HF_ENDPOINT is not a valid URL: "${shown}"`, {
      hint: "Set it to the Hub base URL, e.g. https://huggingface.co or http://127.0.0.1:8080, or unset it",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`HF_ENDPOINT must be an http(s) URL, got "${shown}"`, {
      hint: "Use e.g. https://huggingface.co or http://127.0.0.1:8080",
    });
  }
  // Refused rather than stripped: the Hub takes the token in the Authorization header, which the
  // URL's credentials would need too, so they could never be honoured, only dropped or leaked.
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(`HF_ENDPOINT must not contain credentials (${shown})`, {
      hint: "Remove the user:password@ part: the Hub is authenticated with HF_TOKEN (or --token)",
    });
  }
  if (url.search !== "" || url.hash !== "") {
    throw new UsageError(`HF_ENDPOINT must not have a query or fragment: "${shown}"`);
  }
  return url.href.replace(/\/+$/, "");
}

/** The only interpreter of environment variables; `env` is passed in so tests never touch process.env. */
export function readEnv(env: Readonly<Record<string, string | undefined>>, defaults: EnvDefaults): RuntimeEnv {
  const home = nonBlank(env.HOME) ?? defaults.home;
  const xdgCache = nonBlank(env.XDG_CACHE_HOME) ?? path.join(home, ".cache");
  // Same resolution as huggingface_hub (constants.py): HF_HOME, else $XDG_CACHE_HOME/huggingface.
  const hfHome = resolveUserPath(nonBlank(env.HF_HOME) ?? path.join(xdgCache, "huggingface"), home, defaults.cwd);
  const tokenPathFromEnv = nonBlank(env.HF_TOKEN_PATH);
  const endpoint = nonBlank(env.HF_ENDPOINT);
  const pathFromEnv = (name: string): string | undefined => {
    const value = nonBlank(env[name]);
    return value === undefined ? undefined : resolveUserPath(value, home, defaults.cwd);
  };
  return {
    home,
    cwd: defaults.cwd,
    tmpDir: nonBlank(env.TMPDIR) ?? defaults.tmpDir,
    hubUrl: endpoint === undefined ? DEFAULT_HUB_URL : parseHubUrl(endpoint),
    hfToken: nonBlank(env.HF_TOKEN) ?? nonBlank(env.HUGGING_FACE_HUB_TOKEN),
    tokenPaths: [
      ...new Set([
        ...(tokenPathFromEnv === undefined ? [] : [resolveUserPath(tokenPathFromEnv, home, defaults.cwd)]),
        path.join(hfHome, "token"),
        path.join(home, ".cache", "huggingface", "token"),
      ]),
    ],
    cacheDir: path.join(resolveUserPath(xdgCache, home, defaults.cwd), "process-artifacts"),
    configPath: pathFromEnv("OLMO_CONFIG"),
    fineTunedModelsDir: pathFromEnv("OLMO_FINE_TUNED_MODELS_DIR"),
    baseModelsDir: pathFromEnv("OLMO_BASE_MODELS_DIR"),
    defaultBaseModel: nonBlank(env.OLMO_DEFAULT_BASE_MODEL),
    baseModelHfId: nonBlank(env.OLMO_BASE_MODEL_HF_ID),
    testSignals: detectTestEnvironment(env),
    network: {
      maxRetries: nonNegativeInt(env, "PROCESS_ARTIFACTS_MAX_RETRIES", 5),
      retryBaseMs: nonNegativeInt(env, "PROCESS_ARTIFACTS_RETRY_BASE_MS", 1000),
      timeoutMs: nonNegativeInt(env, "PROCESS_ARTIFACTS_TIMEOUT_MS", 120_000),
    },
    disableProgressBars: isTrue(env.HF_HUB_DISABLE_PROGRESS_BARS),
    hubOffline: isTrue(env.HF_HUB_OFFLINE),
    disableXet: isTrue(env.HF_HUB_DISABLE_XET),
  };
}
