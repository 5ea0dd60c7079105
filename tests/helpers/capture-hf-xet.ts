import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";

export interface HfXetCapture {
  /** hf_xet.upload_files' answer per file, in order: Xet hash (string form), size, sha256. */
  uploaded: { hash: string; size: number; sha256: string }[];
  /** hf_xet.hash_files' answer per file. */
  hashed: { hash: string; size: number }[];
  /** Each xorb hf_xet uploaded, by the hash in its upload path. */
  xorbs: Map<string, Uint8Array>;
  /** Each shard body hf_xet uploaded. */
  shards: Uint8Array[];
  /** Every request, "METHOD path", in arrival order. */
  requests: string[];
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The python that has the reference client hf_xet: $XET_REFERENCE_PYTHON, else the repo's .venv when it
 * can import hf_xet; undefined when there is none (tests then use the committed fixtures only).
 */
export function referencePython(): string | undefined {
  const candidates = [process.env.XET_REFERENCE_PYTHON, path.join(ROOT, ".venv", "bin", "python")];
  return candidates.find(
    (python) =>
      python !== undefined &&
      python !== "" &&
      existsSync(python) &&
      spawnSync(python, ["-c", "import hf_xet"], { stdio: "ignore" }).status === 0,
  );
}

const UPLOAD_SCRIPT = `
import json, sys, time, hf_xet
endpoint, paths = sys.argv[1], sys.argv[2:]
up = hf_xet.upload_files(paths, endpoint, ("fake-xet-token", int(time.time()) + 3600), None, None, "model")
hashed = hf_xet.hash_files(paths)
print(json.dumps({
  "uploaded": [{"hash": r.hash, "size": r.file_size, "sha256": r.sha256} for r in up],
  "hashed": [{"hash": r.hash, "size": r.file_size} for r in hashed],
}))
`;

/**
 * Runs hf_xet's upload of `files` against a capturing CAS on 127.0.0.1 and returns what it sent: the
 * xorbs (POST /v1/xorbs/default/{hash}) and shards (POST /v1/shards; /v2/shards answers 404, so hf_xet
 * falls back to v1, as it does with a CAS that lacks it). Global-dedup queries get `dedupAnswer`'s shard,
 * or 404 (nothing known). hf_xet gets a fresh cache folder, so it knows only what this run tells it.
 */
export async function captureHfXet(
  python: string,
  files: string[],
  options: {
    /** The body answering GET /v1/chunks/default/{hash} (a global-dedup shard), or undefined for 404. */
    dedupAnswer?: (chunkHash: string) => Uint8Array | undefined;
  } = {},
): Promise<HfXetCapture> {
  const xorbs = new Map<string, Uint8Array>();
  const shards: Uint8Array[] = [];
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      const body = new Uint8Array(Buffer.concat(parts));
      const url = request.url ?? "";
      requests.push(`${request.method ?? ""} ${url}`);
      const xorb = /^\/v1\/xorbs\/default\/([0-9a-f]{64})$/.exec(url);
      if (request.method === "POST" && xorb !== null) {
        xorbs.set(xorb[1] ?? "", body);
        response.writeHead(200, { "content-type": "application/json" }).end('{"was_inserted":true}');
      } else if (request.method === "POST" && url === "/v1/shards") {
        shards.push(body);
        response.writeHead(200, { "content-type": "application/json" }).end('{"result":1}');
      } else {
        const query = /^\/v1\/chunks\/default(?:-merkledb)?\/([0-9a-f]{64})$/.exec(url);
        const answer = request.method === "GET" && query !== null ? options.dedupAnswer?.(query[1] ?? "") : undefined;
        if (answer === undefined) {
          response.writeHead(404).end();
        } else {
          response.writeHead(200, { "content-type": "application/octet-stream" }).end(answer);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const home = await mkdtemp(path.join(os.tmpdir(), "pa-hf-xet-"));
  try {
    const { port } = server.address() as { port: number };
    const out = await run(python, ["-c", UPLOAD_SCRIPT, `http://127.0.0.1:${port}`, ...files], {
      PATH: process.env.PATH ?? "",
      HOME: home,
      HF_HOME: path.join(home, "hf"),
      HF_XET_CACHE: path.join(home, "xet"),
    });
    const answer = JSON.parse(out) as Pick<HfXetCapture, "uploaded" | "hashed">;
    return { ...answer, xorbs, shards, requests };
  } finally {
    server.close();
    await rm(home, { recursive: true, force: true });
  }
}

export interface CasAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/**
 * Runs hf_xet.download_files for `files` against a CAS on 127.0.0.1 whose every answer comes from
 * `answer(method, path, headers)` (undefined: 404). `{base}` in an answer's body stands for the CAS's
 * URL, for the xorb URLs of a reconstruction. Resolves when hf_xet has written the files.
 */
export async function downloadWithHfXet(
  python: string,
  files: { hash: string; size: number; destination: string }[],
  answer: (method: string, path: string, headers: http.IncomingHttpHeaders) => CasAnswer | undefined,
): Promise<string[]> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const url = request.url ?? "";
      requests.push(`${request.method ?? ""} ${url}`);
      const { port } = server.address() as { port: number };
      const reply = answer(request.method ?? "", url, request.headers) ?? { status: 404 };
      const body =
        typeof reply.body === "string" ? reply.body.replaceAll("{base}", `http://127.0.0.1:${port}`) : reply.body;
      response.writeHead(reply.status, reply.headers).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const home = await mkdtemp(path.join(os.tmpdir(), "pa-hf-xet-"));
  try {
    const { port } = server.address() as { port: number };
    const script = [
      "import json, sys, time, hf_xet",
      "files = [hf_xet.PyXetDownloadInfo(f['destination'], f['hash'], f['size']) for f in json.loads(sys.argv[2])]",
      "hf_xet.download_files(files, sys.argv[1], ('fake-xet-token', int(time.time()) + 3600), None, None)",
    ].join("\n");
    await run(python, ["-c", script, `http://127.0.0.1:${port}`, JSON.stringify(files)], {
      PATH: process.env.PATH ?? "",
      HOME: home,
      HF_HOME: path.join(home, "hf"),
      HF_XET_CACHE: path.join(home, "xet"),
    });
    return requests;
  } finally {
    server.close();
    await rm(home, { recursive: true, force: true });
  }
}

/** hf_xet.hash_files' Xet hashes (string form) of `files`, in order, without any upload. */
export async function hashWithHfXet(python: string, files: string[]): Promise<string[]> {
  const script = "import json, sys, hf_xet; print(json.dumps([r.hash for r in hf_xet.hash_files(sys.argv[1:])]))";
  return JSON.parse(await run(python, ["-c", script, ...files], { PATH: process.env.PATH ?? "" })) as string[];
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    const timer = setTimeout(() => child.kill(), 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(new Error(`hf_xet run failed (exit ${code ?? "signal"}): ${stderr.slice(-2000)}`));
      }
    });
  });
}
