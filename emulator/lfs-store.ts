import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { hubError } from "./hub-error.js";
import { jsonResponse } from "./json-response.js";

export interface LfsObject {
  size: number;
  content: Buffer | undefined;
  /** Where the content lives on disk, when the store has a folder. */
  file: string | undefined;
}

const etagOf = (data: Buffer): string => `"${createHash("md5").update(data).digest("hex")}"`;

/**
 * The LFS object storage behind the batch API (the S3 of the real Hub): single PUTs and multipart
 * uploads, checked against their sha256. Objects are kept in memory, or in `dir` (written to a temp
 * name and renamed once verified, so an interrupted upload never leaves a bad object), or not at all.
 */
export class LfsStore {
  readonly objects = new Map<string, LfsObject>();
  private readonly parts = new Map<string, Map<number, Buffer>>();

  private readonly dir: string | undefined;
  private readonly discard: boolean;

  constructor(dir: string | undefined, discard: boolean) {
    this.dir = dir;
    this.discard = discard;
  }

  has(oid: string, size: number): boolean {
    return this.objects.get(oid)?.size === size;
  }

  /** The content in pieces (a file read 4 MiB at a time), or undefined when it is not kept here. */
  pieces(oid: string): AsyncIterable<Uint8Array> | undefined {
    const object = this.objects.get(oid);
    const content = object?.content;
    if (content) {
      return Readable.from([content]);
    }
    return object?.file === undefined ? undefined : createReadStream(object.file, { highWaterMark: 4 * 1024 * 1024 });
  }

  /**
   * Forgets the bytes of an object that is stored elsewhere now (the Xet CAS), keeping its size: the
   * batch API still knows it, and the emulator reads it from there.
   */
  async dropContent(oid: string): Promise<void> {
    const object = this.objects.get(oid);
    if (!object) {
      return;
    }
    const file = object.file;
    this.objects.set(oid, { size: object.size, content: undefined, file: undefined });
    if (file !== undefined) {
      await rm(file, { force: true });
    }
  }

  async content(oid: string): Promise<Buffer | undefined> {
    const object = this.objects.get(oid);
    if (object?.content) {
      return object.content;
    }
    return object?.file === undefined ? undefined : readFile(object.file);
  }

  /** A single-part upload (`part` undefined) or one part of a multipart upload. Sets `bytes` as it reads. */
  async receive(
    request: Request,
    oid: string,
    part: number | undefined,
    counter: { bytes: number },
  ): Promise<Response> {
    const hash = createHash("sha256");
    const keep = !this.discard;
    const chunks: Buffer[] = [];
    let size = 0;
    let temp: string | undefined;
    let sink: ReturnType<typeof createWriteStream> | undefined;
    if (keep && part === undefined && this.dir !== undefined) {
      await mkdir(this.dir, { recursive: true });
      temp = path.join(this.dir, `.${oid}.${randomBytes(4).toString("hex")}.part`);
      sink = createWriteStream(temp);
    }
    try {
      if (request.body) {
        for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
          const buffer = Buffer.from(chunk);
          size += buffer.byteLength;
          counter.bytes = size;
          hash.update(buffer);
          if (sink) {
            if (!sink.write(buffer)) {
              await new Promise<void>((resolve) => sink?.once("drain", () => resolve()));
            }
          } else if (keep || part !== undefined) {
            chunks.push(buffer);
          }
        }
      }
      if (sink) {
        await new Promise<void>((resolve, reject) =>
          sink?.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
      }
    } catch (error) {
      sink?.destroy();
      if (temp !== undefined) {
        await rm(temp, { force: true });
      }
      throw error;
    }
    const declared = request.headers.get("content-length");
    const fail = async (message: string): Promise<Response> => {
      if (temp !== undefined) {
        await rm(temp, { force: true });
      }
      return hubError(400, message);
    };
    if (declared !== null && Number(declared) !== size) {
      return fail(`Content-Length ${declared} but received ${size} bytes`);
    }
    if (part !== undefined) {
      const data = Buffer.concat(chunks);
      const parts = this.parts.get(oid) ?? new Map<number, Buffer>();
      parts.set(part, data);
      this.parts.set(oid, parts);
      return new Response(null, { status: 200, headers: { etag: etagOf(data) } });
    }
    if (hash.digest("hex") !== oid) {
      return fail("sha256 of the uploaded content does not match the oid");
    }
    let file: string | undefined;
    if (temp !== undefined && this.dir !== undefined) {
      file = path.join(this.dir, oid);
      await rename(temp, file);
    }
    this.objects.set(oid, { size, content: keep && file === undefined ? Buffer.concat(chunks) : undefined, file });
    return new Response(null, { status: 200 });
  }

  async complete(request: Request, oid: string): Promise<Response> {
    const body = (await request.json()) as { oid?: string; parts?: Array<{ partNumber: number; etag: string }> };
    const parts = this.parts.get(oid);
    if (!parts || body.oid !== oid || !Array.isArray(body.parts)) {
      return hubError(400, "unknown multipart upload");
    }
    const ordered: Buffer[] = [];
    for (const { partNumber, etag } of body.parts) {
      const part = parts.get(partNumber);
      if (!part || etag !== etagOf(part)) {
        return hubError(400, `part ${partNumber} missing or etag mismatch`);
      }
      ordered.push(part);
    }
    const content = Buffer.concat(ordered);
    if (createHash("sha256").update(content).digest("hex") !== oid) {
      return hubError(400, "sha256 of the assembled parts does not match the oid");
    }
    this.parts.delete(oid);
    let file: string | undefined;
    if (!this.discard && this.dir !== undefined) {
      await mkdir(this.dir, { recursive: true });
      file = path.join(this.dir, oid);
      const temp = path.join(this.dir, `.${oid}.${randomBytes(4).toString("hex")}.part`);
      await writeFile(temp, content);
      await rename(temp, file);
    }
    this.objects.set(oid, {
      size: content.byteLength,
      content: this.discard || file !== undefined ? undefined : content,
      file,
    });
    return jsonResponse({ success: true });
  }
}
