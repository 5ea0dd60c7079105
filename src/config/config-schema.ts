import { z } from "zod";

/** A Hub user or organisation name (the part before the slash of a repo id). */
export const HUB_NAMESPACE = /^(?=.{1,96}$)[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*$/;
/** `owner/name` with the Hub's character rules on both halves. */
export const HUB_REPO_ID =
  /^(?=[^/]{1,96}\/)[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*\/(?=[^/]{1,96}$)[A-Za-z0-9](?:[A-Za-z0-9]|[-_.](?=[A-Za-z0-9]))*$/;

const namespace = z
  .string()
  .regex(HUB_NAMESPACE, { error: "must be a Hub user or organisation name such as alice or my-org" })
  .nullable()
  .optional();
const modelId = z
  .string()
  .regex(HUB_REPO_ID, { error: "must be a Hub model id such as allenai/OLMo-2-0425-1B-Instruct, not a local path" })
  .nullable()
  .optional();

/** Our own section. No defaults here: a key given in both layouts must be seen as given. */
const huggingfaceSchema = z.object({
  upload_enabled: z.boolean().optional(),
  repo_prefix: namespace,
  private_repos: z.boolean().optional(),
  base_model_hf_id: modelId,
  license: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.+-]*$/, { error: "must be a Hub license id such as apache-2.0 or mit" })
    .optional(),
  upload_datasets: z.boolean().optional(),
  repo_id: z
    .string()
    .regex(HUB_REPO_ID, { error: "must be a Hub repo id such as my-org/webauthn-security-model" })
    .nullable()
    .optional(),
  gated: z
    .union([z.literal(false), z.literal("auto"), z.literal("manual")], { error: "must be false, auto or manual" })
    .optional(),
});

/** The pipeline's own layout (config_manager.py): `fine_tuning.huggingface`. */
const pipelineHuggingfaceSchema = z.object({
  upload_enabled: z.boolean().optional(),
  default_repo_prefix: namespace,
  private_repos: z.boolean().optional(),
  skip_in_daemon: z.boolean().optional(),
  upload_staging_dir: z.string().optional(),
});

const nonEmptyPath = z.string().min(1, { error: "must not be empty" });

/**
 * The keys this tool reads, in both layouts. Sections that other pipeline stages own are accepted
 * untouched (`fine_tuning` is read only for its `huggingface` part); any other key is reported as a
 * warning (a typo should be visible, but not stop a finished training).
 */
export const configSchema = z.object({
  base_models_dir: nonEmptyPath.optional(),
  fine_tuned_models_dir: nonEmptyPath.optional(),
  default_base_model: z.string().min(1).optional(),
  base_model_hf_id: modelId,
  huggingface: huggingfaceSchema.optional(),
  fine_tuning: z.looseObject({ huggingface: pipelineHuggingfaceSchema.nullable().optional() }).nullable().optional(),
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
