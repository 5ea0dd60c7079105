import * as z from "zod/mini";

/** A Hub user or organisation name (the part before the slash of a repo id). */
export const HUB_NAMESPACE = /^(?=.{1,96}$)[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*$/;
/** `owner/name` with the Hub's character rules on both halves. */
export const HUB_REPO_ID =
  /^(?=[^/]{1,96}\/)[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*\/(?=[^/]{1,96}$)[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*$/;

const namespace = z.optional(
  z.nullable(
    z
      .string()
      .check(z.regex(HUB_NAMESPACE, { error: "must be a Hub user or organisation name such as alice or my-org" })),
  ),
);
const modelId = z.optional(
  z.nullable(
    z.string().check(
      z.regex(HUB_REPO_ID, {
        error: "must be a Hub model id such as allenai/OLMo-2-0425-1B-Instruct, not a local path",
      }),
    ),
  ),
);

/** Our own section. No defaults here: a key given in both layouts must be seen as given. */
const huggingfaceSchema = z.object({
  upload_enabled: z.optional(z.boolean()),
  repo_prefix: namespace,
  private_repos: z.optional(z.boolean()),
  base_model_hf_id: modelId,
  license: z.optional(
    z
      .string()
      .check(z.regex(/^[a-z0-9][a-z0-9.+-]*$/, { error: "must be a Hub license id such as apache-2.0 or mit" })),
  ),
  upload_datasets: z.optional(z.boolean()),
  repo_id: z.optional(
    z.nullable(
      z.string().check(z.regex(HUB_REPO_ID, { error: "must be a Hub repo id such as my-org/webauthn-security-model" })),
    ),
  ),
  gated: z.optional(
    z.union([z.literal(false), z.literal("auto"), z.literal("manual")], { error: "must be false, auto or manual" }),
  ),
});

/** The pipeline's own layout (config_manager.py): `fine_tuning.huggingface`. */
const pipelineHuggingfaceSchema = z.object({
  upload_enabled: z.optional(z.boolean()),
  default_repo_prefix: namespace,
  private_repos: z.optional(z.boolean()),
  skip_in_daemon: z.optional(z.boolean()),
  upload_staging_dir: z.optional(z.string()),
});

const nonEmptyPath = z.string().check(z.minLength(1, { error: "must not be empty" }));

/**
 * The keys this tool reads, in both layouts. Sections that other pipeline stages own are accepted
 * untouched (`fine_tuning` is read only for its `huggingface` part); any other key is reported as a
 * warning (a typo should be visible, but not stop a finished training).
 */
export const configSchema = z.object({
  base_models_dir: z.optional(nonEmptyPath),
  fine_tuned_models_dir: z.optional(nonEmptyPath),
  default_base_model: z.optional(z.string().check(z.minLength(1))),
  base_model_hf_id: modelId,
  huggingface: z.optional(huggingfaceSchema),
  fine_tuning: z.optional(
    z.nullable(z.looseObject({ huggingface: z.optional(z.nullable(pipelineHuggingfaceSchema)) })),
  ),
});

/** Sections of the shared pipeline config used by the training stages, not by us. */
export const OTHER_STAGE_SECTIONS: ReadonlySet<string> = new Set([
  "fine_tuning",
  "knowledge_base",
  "validation",
  "multi_domain",
  "augmentation",
]);

/** Known keys per level, for the unknown-key warnings; `null` means "a value, not a section". */
export const KNOWN_KEYS: Readonly<Record<string, ReadonlySet<string> | null>> = {
  base_models_dir: null,
  fine_tuned_models_dir: null,
  default_base_model: null,
  base_model_hf_id: null,
  huggingface: new Set(Object.keys(huggingfaceSchema.shape)),
};
export const PIPELINE_HUGGINGFACE_KEYS: ReadonlySet<string> = new Set(Object.keys(pipelineHuggingfaceSchema.shape));

export type RawConfig = z.infer<typeof configSchema>;
