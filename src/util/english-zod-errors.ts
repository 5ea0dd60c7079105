import { en } from "zod/locales";

/**
 * zod/mini loads no locale and would say only "Invalid input", yet some of zod's own messages reach
 * the user (an empty config value, a Hub answer with an unknown upload mode). Passed to each parse as
 * `{ error }` rather than set with z.config, so no text depends on global state that another module
 * may or may not have set.
 */
export const englishZodErrors = en().localeError;
