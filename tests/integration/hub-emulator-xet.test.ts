import { createHash } from "node:crypto";
import http from "node:http";
import { http as mswHttp, passthrough } from "msw";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { hashToHex, createXetHasher, type XetHasher } from "../../src/xet/index.js";
import { DEFAULT_TOKEN, FakeHub, type FakeHubOptions } from "../../emulator/fake-hub.js";
import { serveFakeHub } from "../../emulator/serve-fake-hub.js";
import { server } from "../helpers/msw-server.js";
import { seededBytes } from "../helpers/xet-inputs.js";
import { buildXetUpload, type XetUpload } from "../helpers/xet-upload.js";
import { callEmulator, EMULATOR_ORIGIN, OTHER_USER_TOKEN, READ_ONLY_TOKEN } from "../helpers/call-emulator.js";

let hasher: XetHasher;
let content: Uint8Array;
let upload: XetUpload;

beforeAll(() => {
  hasher = createXetHasher();
  content = seededBytes(21, 300_000);
  upload = buildXetUpload(hasher, content, { chunksPerXorb: 2 });
});

function freshHub(options: FakeHubOptions = {}): FakeHub {
  const hub = new FakeHub({
    users: {
      [DEFAULT_TOKEN]: { name: "alice" },
      [READ_ONLY_TOKEN]: { name: "alice", canWrite: false },
      [OTHER_USER_TOKEN]: { name: "bob" },
    },
    ...options,
  });
  hub.addRepo({ id: "alice/x" });
  hub.addRepo({ id: "alice/gated", gated: "manual" });
  hub.addRepo({ id: "alice/secret", private: true });
  return hub;
}

/** Sends `value` through the CAS as a Xet client does, then commits it as `filePath` on main. */
async function uploadThroughXet(hub: FakeHub, filePath: string, value = upload): Promise<string> {
  const token = (await (await callEmulator(hub, "GET", "/api/models/alice/x/xet-write-token/main")).json()) as {
    accessToken: string;
    casUrl: string;
  };
  for (const xorb of value.xorbs) {
    const sent = await callEmulator(hub, "POST", `${token.casUrl}/v1/xorbs/default/${hashToHex(xorb.hash)}`, {
      token: token.accessToken,
      body: xorb.bytes,
    });
    expect(sent.status).toBe(200);
  }
  expect(
    (await callEmulator(hub, "POST", `${token.casUrl}/v1/shards`, { token: token.accessToken, body: value.shardBytes }))
      .status,
  ).toBe(200);
  return commit(hub, filePath, value.sha256, content.length);
}

async function commit(hub: FakeHub, filePath: string, oid: string, size: number): Promise<string> {
  const body = [
    { key: "header", value: { summary: `add ${filePath}` } },
    { key: "lfsFile", value: { path: filePath, algo: "sha256", oid, size } },
  ]
    .map((line) => JSON.stringify(line))
    .join("\n");
  const response = await callEmulator(hub, "POST", "/api/models/alice/x/commit/main", { body });
  expect(response.status).toBe(200);
  return ((await response.json()) as { commitOid: string }).commitOid;
}

/** Sends bytes through LFS (batch with transfer basic, PUT) and commits them. */
async function uploadThroughLfs(hub: FakeHub, filePath: string, bytes: Uint8Array): Promise<string> {
  const oid = createHash("sha256").update(bytes).digest("hex");
  const batch = await callEmulator(hub, "POST", "/alice/x.git/info/lfs/objects/batch", {
    body: JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid, size: bytes.length }] }),
  });
  const href = ((await batch.json()) as { objects: Array<{ actions?: { upload: { href: string } } }> }).objects[0]
    ?.actions?.upload.href;
  expect((await callEmulator(hub, "PUT", href ?? "", { body: bytes })).status).toBe(200);
  await commit(hub, filePath, oid, bytes.length);
  return oid;
}

describe("Hub emulator with Xet: token routes", () => {
  it("hands out a write token as JSON and X-Xet-* headers, with the CAS on the request's host", async () => {
    const hub = freshHub();
    const response = await callEmulator(hub, "GET", "/api/models/alice/x/xet-write-token/main");
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { accessToken: string; exp: number; casUrl: string };
    expect(answer.casUrl).toBe(`${EMULATOR_ORIGIN}/__xet`);
    expect(answer.exp).toBeGreaterThan(Date.now() / 1000 + 60);
    expect(response.headers.get("x-xet-cas-url")).toBe(answer.casUrl);
    expect(response.headers.get("x-xet-access-token")).toBe(answer.accessToken);
    expect(response.headers.get("x-xet-token-expiration")).toBe(String(answer.exp));
    // huggingface_hub asks for a pull request's token with the revision "None" and create_pr=1.
    expect((await callEmulator(hub, "GET", "/api/models/alice/x/xet-write-token/None?create_pr=1")).status).toBe(200);
  });

  it.each([
    ["a write token without a token", "/api/models/alice/x/xet-write-token/main", null, 401],
    ["a write token with a read-only token", "/api/models/alice/x/xet-write-token/main", READ_ONLY_TOKEN, 403],
    ["a write token for someone else's repo", "/api/models/alice/x/xet-write-token/main", OTHER_USER_TOKEN, 403],
    [
      "a read token for a gated repo without access",
      "/api/models/alice/gated/xet-read-token/main",
      OTHER_USER_TOKEN,
      403,
    ],
    [
      "a read token for someone else's private repo",
      "/api/models/alice/secret/xet-read-token/main",
      OTHER_USER_TOKEN,
      404,
    ],
    ["a token for a revision that does not exist", "/api/models/alice/x/xet-read-token/nowhere", DEFAULT_TOKEN, 404],
    ["a token for a repo that does not exist", "/api/models/alice/none/xet-read-token/main", DEFAULT_TOKEN, 404],
  ])("refuses %s", async (_, url, token, status) => {
    const hub = freshHub();
    expect((await callEmulator(hub, "GET", url, { token })).status).toBe(status);
  });

  it("gives anyone a read token for a public repo, which cannot write", async () => {
    const hub = freshHub();
    const answer = (await (
      await callEmulator(hub, "GET", "/api/models/alice/x/xet-read-token/main", { token: null })
    ).json()) as { accessToken: string; casUrl: string };
    const xorb = upload.xorbs[0];
    const sent = await callEmulator(
      hub,
      "POST",
      `${answer.casUrl}/v1/xorbs/default/${hashToHex(xorb?.hash ?? new Uint8Array(32))}`,
      {
        token: answer.accessToken,
        body: xorb?.bytes,
      },
    );
    expect(sent.status).toBe(403);
  });

  it("without Xet (xet: false) answers the token routes and the CAS 404, like a Hub from before Xet", async () => {
    const hub = freshHub({ xet: false });
    expect((await callEmulator(hub, "GET", "/api/models/alice/x/xet-write-token/main")).status).toBe(404);
    expect((await callEmulator(hub, "GET", "/api/models/alice/x/xet-read-token/main")).status).toBe(404);
    expect(
      (await callEmulator(hub, "POST", `${EMULATOR_ORIGIN}/__xet/v1/shards`, { body: upload.shardBytes })).status,
    ).toBe(404);
  });
});

describe("Hub emulator with Xet: LFS batch", () => {
  const batch = (hub: FakeHub, transfers: string[], oid: string, size: number, ref?: string): Promise<Response> =>
    callEmulator(hub, "POST", "/alice/x.git/info/lfs/objects/batch", {
      body: JSON.stringify({
        operation: "upload",
        transfers,
        hash_algo: "sha_256",
        ...(ref === undefined ? {} : { ref: { name: ref } }),
        objects: [{ oid, size }],
      }),
    });

  it('answers transfer "xet" to a client that lists it: the write-token route as href, a working CAS token in headers', async () => {
    const hub = freshHub();
    await callEmulator(hub, "POST", "/api/models/alice/x/branch/feature%2Fx", { body: "{}" });
    const response = await batch(hub, ["basic", "multipart", "xet"], upload.sha256, content.length, "feature/x");
    const answer = (await response.json()) as {
      transfer: string;
      objects: Array<{ actions: { upload: { href: string; header: Record<string, string> } } }>;
    };
    expect(answer.transfer).toBe("xet");
    const action = answer.objects[0]?.actions.upload;
    expect(action?.href).toBe(`${EMULATOR_ORIGIN}/api/models/alice/x/xet-write-token/feature%2Fx`);
    expect(action?.header["X-Xet-Cas-Url"]).toBe(`${EMULATOR_ORIGIN}/__xet`);
    expect(Number(action?.header["X-Xet-Token-Expiration"])).toBeGreaterThan(Date.now() / 1000);
    expect(action?.header["X-Xet-Session-Id"]).toMatch(/^[0-9a-f]{32}$/);
    const xorb = upload.xorbs[0];
    const sent = await callEmulator(
      hub,
      "POST",
      `${action?.header["X-Xet-Cas-Url"]}/v1/xorbs/default/${hashToHex(xorb?.hash ?? new Uint8Array(32))}`,
      {
        token: action?.header["X-Xet-Access-Token"] ?? "",
        body: xorb?.bytes,
      },
    );
    expect(sent.status).toBe(200);
    expect((await callEmulator(hub, "GET", action?.href ?? "")).status).toBe(200);
  });

  it("answers basic PUT URLs to a client that does not list xet, and always without Xet", async () => {
    const plain = (await (await batch(freshHub(), ["basic", "multipart"], upload.sha256, content.length)).json()) as {
      transfer: string;
      objects: Array<{ actions: { upload: { href: string } } }>;
    };
    expect(plain.transfer).toBe("basic");
    expect(plain.objects[0]?.actions.upload.href).toBe(`${EMULATOR_ORIGIN}/__lfs/${upload.sha256}`);
    const old = (await (
      await batch(freshHub({ xet: false }), ["basic", "multipart", "xet"], upload.sha256, content.length)
    ).json()) as { transfer: string };
    expect(old.transfer).toBe("basic");
  });

  it("counts content stored through Xet as uploaded for an LFS client", async () => {
    const hub = freshHub();
    await uploadThroughXet(hub, "a.bin");
    const answer = (await (await batch(hub, ["basic"], upload.sha256, content.length)).json()) as {
      objects: Array<{ actions?: unknown }>;
    };
    expect(answer.objects[0]?.actions).toBeUndefined();
  });
});

describe("Hub emulator with Xet: downloads", () => {
  it("gives a Xet-stored file X-Xet-Hash and the Link a client downloads it with, and streams it on a plain GET", async () => {
    const hub = freshHub();
    const commitOid = await uploadThroughXet(hub, "w/a.bin");
    const head = await callEmulator(hub, "HEAD", "/alice/x/resolve/main/w/a.bin");
    expect(head.headers.get("x-xet-hash")).toBe(upload.fileHash);
    expect(head.headers.get("x-linked-size")).toBe(String(content.length));
    expect(head.headers.get("link")).toBe(
      `<${EMULATOR_ORIGIN}/api/models/alice/x/xet-read-token/${commitOid}>; rel="xet-auth", ` +
        `<${EMULATOR_ORIGIN}/__xet/v1/reconstructions/${upload.fileHash}>; rel="xet-reconstruction-info"`,
    );
    const whole = await callEmulator(hub, "GET", "/alice/x/resolve/main/w/a.bin");
    expect(Buffer.from(await whole.arrayBuffer()).equals(Buffer.from(content))).toBe(true);
    const part = await callEmulator(hub, "GET", "/alice/x/resolve/main/w/a.bin", {
      headers: { range: "bytes=70000-140009" },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(content.subarray(70_000, 140_010)))).toBe(true);
    expect(hub.lfs.has(upload.sha256)).toBe(false);
  });

  it("answers Accept: application/vnd.xet-fileinfo+json with the Xet headers and no content", async () => {
    const hub = freshHub();
    await uploadThroughXet(hub, "a.bin");
    const response = await callEmulator(hub, "GET", "/alice/x/resolve/main/a.bin", {
      headers: { accept: "application/vnd.xet-fileinfo+json, */*", range: "bytes=0-0" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.xet-fileinfo+json");
    expect(response.headers.get("x-xet-hash")).toBe(upload.fileHash);
    expect(response.headers.get("x-linked-size")).toBe(String(content.length));
    expect(await response.json()).toMatchObject({ hash: upload.fileHash, size: content.length });
  });

  it("converts an LFS-uploaded file to Xet on its first Xet-capable read: the Xet hash a client computes", async () => {
    const hub = freshHub();
    await uploadThroughLfs(hub, "l.bin", content);
    expect(hub.state().repos[0]?.files.find((f) => f.path === "l.bin")?.xetHash).toBeNull();
    // A plain GET is served from the LFS store, converting nothing.
    const plain = await callEmulator(hub, "GET", "/alice/x/resolve/main/l.bin");
    expect(Buffer.from(await plain.arrayBuffer()).equals(Buffer.from(content))).toBe(true);
    expect(plain.headers.get("x-xet-hash")).toBeNull();
    expect(hub.xet?.catalog.files.size).toBe(0);
    const head = await callEmulator(hub, "HEAD", "/alice/x/resolve/main/l.bin");
    expect(head.headers.get("x-xet-hash")).toBe(upload.fileHash);
    const tree = (await (await callEmulator(hub, "GET", "/api/models/alice/x/tree/main")).json()) as Array<{
      path: string;
      xetHash?: string;
    }>;
    expect(tree).toEqual([
      expect.objectContaining({ path: ".gitattributes" }),
      expect.objectContaining({ path: "l.bin", xetHash: upload.fileHash }),
    ]);
    const info = (await (
      await callEmulator(hub, "POST", "/api/models/alice/x/paths-info/main", {
        body: JSON.stringify({ paths: ["l.bin"] }),
        headers: { "content-type": "application/json" },
      })
    ).json()) as Array<{ xetHash?: string }>;
    expect(info[0]?.xetHash).toBe(upload.fileHash);
    expect(hub.state().repos.find((r) => r.id === "alice/x")?.files).toEqual([
      expect.objectContaining({ path: ".gitattributes" }),
      expect.objectContaining({ path: "l.bin", xetHash: upload.fileHash, lfs: true }),
    ]);
    expect(
      Buffer.from(await (await callEmulator(hub, "GET", "/alice/x/resolve/main/l.bin")).arrayBuffer()).equals(
        Buffer.from(content),
      ),
    ).toBe(true);
  });

  it("without Xet, resolve and listings carry no Xet fields", async () => {
    const hub = freshHub({ xet: false });
    await uploadThroughLfs(hub, "l.bin", content);
    const head = await callEmulator(hub, "HEAD", "/alice/x/resolve/main/l.bin");
    expect(head.headers.get("x-xet-hash")).toBeNull();
    expect(head.headers.get("link")).toBeNull();
    const tree = (await (await callEmulator(hub, "GET", "/api/models/alice/x/tree/main")).json()) as Array<{
      xetHash?: string;
    }>;
    expect(tree[0]?.xetHash).toBeUndefined();
  });
});

describe("Hub emulator with Xet: absolute URLs follow the Host the request came to", () => {
  it("names the proxy's host in LFS hrefs, CAS URLs, token routes and reconstruction fetch URLs", async () => {
    const hub = freshHub();
    const served = await serveFakeHub(hub);
    onTestFinished(() => served.close());
    server.use(mswHttp.all(`${served.url}/*`, () => passthrough()));
    const proxy = "proxy.example:8443";
    const port = Number(new URL(served.url).port);
    const send = (
      method: string,
      path: string,
      token: string | null,
      body?: string,
    ): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> =>
      new Promise((resolve, reject) => {
        const request = http.request(
          {
            host: "127.0.0.1",
            port,
            method,
            path,
            headers: { host: proxy, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
          },
          (response) => {
            let text = "";
            response.on("data", (data: Buffer) => (text += data.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
          },
        );
        request.on("error", reject);
        request.end(body);
      });

    const lfsOid = createHash("sha256").update("x").digest("hex");
    const basic = await send(
      "POST",
      "/alice/x.git/info/lfs/objects/batch",
      DEFAULT_TOKEN,
      JSON.stringify({ operation: "upload", transfers: ["basic"], objects: [{ oid: lfsOid, size: 1 }] }),
    );
    expect(basic.text).toContain(`"href":"http://${proxy}/__lfs/${lfsOid}"`);
    const xet = await send(
      "POST",
      "/alice/x.git/info/lfs/objects/batch",
      DEFAULT_TOKEN,
      JSON.stringify({ operation: "upload", transfers: ["basic", "xet"], objects: [{ oid: lfsOid, size: 1 }] }),
    );
    expect(xet.text).toContain(`"href":"http://${proxy}/api/models/alice/x/xet-write-token/main"`);
    expect(xet.text).toContain(`"X-Xet-Cas-Url":"http://${proxy}/__xet"`);

    const token = JSON.parse((await send("GET", "/api/models/alice/x/xet-write-token/main", DEFAULT_TOKEN)).text) as {
      casUrl: string;
      accessToken: string;
    };
    expect(token.casUrl).toBe(`http://${proxy}/__xet`);
    // The rest of the upload in process (only the Host matters here), then the download answers over HTTP.
    const commitOid = await uploadThroughXet(hub, "a.bin");
    const head = await send("HEAD", "/alice/x/resolve/main/a.bin", DEFAULT_TOKEN);
    expect(head.headers.link).toBe(
      `<http://${proxy}/api/models/alice/x/xet-read-token/${commitOid}>; rel="xet-auth", <http://${proxy}/__xet/v1/reconstructions/${upload.fileHash}>; rel="xet-reconstruction-info"`,
    );
    const read = JSON.parse((await send("GET", "/api/models/alice/x/xet-read-token/main", DEFAULT_TOKEN)).text) as {
      accessToken: string;
    };
    const reconstruction = JSON.parse(
      (await send("GET", `/__xet/v2/reconstructions/${upload.fileHash}`, read.accessToken)).text,
    ) as {
      xorbs: Record<string, Array<{ url: string }>>;
    };
    const urls = Object.values(reconstruction.xorbs).flatMap((entries) => entries.map((entry) => entry.url));
    expect(urls.length).toBe(upload.xorbs.length);
    for (const url of urls) {
      expect(url.startsWith(`http://${proxy}/__xet/transfer/xorbs/default/`)).toBe(true);
    }
    const v1 = JSON.parse(
      (await send("GET", `/__xet/v1/reconstructions/${upload.fileHash}`, read.accessToken)).text,
    ) as {
      fetch_info: Record<string, Array<{ url: string }>>;
    };
    expect(
      Object.values(v1.fetch_info)
        .flat()
        .every((entry) => entry.url.startsWith(`http://${proxy}/__xet/`)),
    ).toBe(true);
  });
});
