// The baseline for "our overhead vs the library": the same folder uploaded with one bare
// @huggingface/hub uploadFiles call and its defaults, as the library's README shows it; with
// --no-xet, through LFS (useXet: false), as our LFS path is compared.
//   node bench/bare-upload.mjs <hubUrl> <token> <repoId> <folder> [--no-xet]
import { createRepo, uploadFiles } from "@huggingface/hub";
import { pathToFileURL } from "node:url";

const [hubUrl, accessToken, name, folder, flag] = process.argv.slice(2);
await createRepo({ repo: { type: "model", name }, accessToken, hubUrl });
await uploadFiles({
  repo: { type: "model", name },
  accessToken,
  hubUrl,
  files: [{ path: "", content: pathToFileURL(folder) }],
  ...(flag === "--no-xet" ? { useXet: false } : {}),
});
