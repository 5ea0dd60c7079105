/**
 * @huggingface/hub against the Hub emulator: uploads through Xet (its default) and through plain LFS
 * (`useXet: false`), a branch with a slash, a pull request, downloads, and listings at `refs/pr/1` and at
 * `feature/x`. listFiles and listCommits put the revision into the URL as given, and the Hub reads a
 * revision only percent-encoded: they are given `encodeURIComponent(revision)`.
 *
 *   HF_ENDPOINT=http://127.0.0.1:PORT HF_TOKEN=hf_... HUB_USER=alice node tests/conformance/hub-js-client.mjs
 *
 * Prints one line and exits 0 when every check holds; otherwise the first failure and exit 1.
 */
import assert from "node:assert/strict";
import { commit, createBranch, createRepo, downloadFile, listCommits, listFiles, modelInfo } from "@huggingface/hub";

const hubUrl = process.env.HF_ENDPOINT;
const accessToken = process.env.HF_TOKEN;
const repo = { type: "model", name: `${process.env.HUB_USER}/js-client-${Date.now()}` };
const auth = { hubUrl, accessToken };
const weights = new Uint8Array(4096).map((_, i) => i % 251);
const featureWeights = new Uint8Array(3000).map((_, i) => (i * 7) % 253);

async function add(files, options = {}) {
  return commit({
    ...auth,
    repo,
    title: `add ${Object.keys(files).join(", ")}`,
    ...options,
    operations: Object.entries(files).map(([path, content]) => ({
      operation: "addOrUpdate",
      path,
      content: new Blob([content]),
    })),
  });
}

async function paths(revision) {
  const out = [];
  for await (const entry of listFiles({ ...auth, repo, revision: encodeURIComponent(revision), recursive: true })) {
    out.push(entry.path);
  }
  return out.sort();
}

async function titles(revision) {
  const out = [];
  for await (const entry of listCommits({ ...auth, repo, revision: encodeURIComponent(revision) })) {
    out.push(entry.title);
  }
  return out;
}

async function bytes(path, revision) {
  const blob = await downloadFile({ ...auth, repo, path, revision });
  return new Uint8Array(await blob.arrayBuffer());
}

await createRepo({ ...auth, repo });
const first = await add({ "config.json": '{"a": 1}', "model.safetensors": weights });
await createBranch({ ...auth, repo, branch: "feature/x" });
await add({ "feature.txt": "on feature/x", "feature.bin": featureWeights }, { branch: "feature/x", useXet: false });
const pr = await add({ "proposal.txt": "in a pull request" }, { isPullRequest: true });

assert.equal(pr.pullRequestUrl, `${hubUrl}/${repo.name}/discussions/1`);
const info = await modelInfo({ ...auth, name: repo.name, additionalFields: ["sha", "siblings"] });
assert.equal(info.sha, first.commit.oid);
// Uploaded through Xet: the emulator's CAS holds the file (an LFS upload gets a Xet hash only once read through Xet).
const state = await (await fetch(`${hubUrl}/__emulator/state`)).json();
const stored = state.repos.find((r) => r.id === repo.name).files.find((f) => f.path === "model.safetensors");
assert.match(stored.xetHash ?? "", /^[0-9a-f]{64}$/);
assert.deepEqual(await bytes("model.safetensors"), weights);
assert.deepEqual(await bytes("model.safetensors", "refs/pr/1"), weights);
assert.equal(new TextDecoder().decode(await bytes("feature.txt", "feature/x")), "on feature/x");
assert.deepEqual(await bytes("feature.bin", "feature/x"), featureWeights);
assert.deepEqual(await paths("refs/pr/1"), [".gitattributes", "config.json", "model.safetensors", "proposal.txt"]);
assert.deepEqual(await paths("feature/x"), [
  ".gitattributes",
  "config.json",
  "feature.bin",
  "feature.txt",
  "model.safetensors",
]);
assert.deepEqual(await titles("feature/x"), [
  "add feature.txt, feature.bin",
  "add config.json, model.safetensors",
  "initial commit",
]);
assert.deepEqual(await titles("refs/pr/1"), [
  "add proposal.txt",
  "add config.json, model.safetensors",
  "initial commit",
]);
process.stdout.write(
  `@huggingface/hub: uploads with and without Xet, downloads and listings at refs/pr/1 and feature/x hold for ${repo.name}\n`,
);
