/**
 * @module test/helpers/hub-server — a small Hugging Face Hub on 127.0.0.1 for tests: the endpoint
 * subset of HUB-PROTOCOL.md §8 (whoami, create repo, repo info, branches, preupload, LFS batch with
 * basic and multipart transfers, NDJSON commits with parentCommit checks, tree listing with
 * pagination, resolve/raw with Range, commits list, delete repo), content stored on disk, and
 * switchable faults (status N times, delays, dropped connections). It follows the real protocol,
 * not our client: anything the real Hub would reject, it rejects.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo, Socket } from "node:net";

/** One file in a commit snapshot. */
export interface HubFileEntry {
  size: number;
  /** git blob sha1 of the content (regular) or of the LFS pointer (LFS). */
  gitOid: string;
  /** sha256 of the content; present for every file (regular files are stored by it too). */
  sha256: string;
  lfs: boolean;
}

interface HubCommit {
  oid: string;
  parent: string | undefined;
  title: string;
  message: string;
  date: string;
  files: Map<string, HubFileEntry>;
}

interface HubRepo {
  type: "dataset" | "model" | "space";
  name: string;
  private: boolean;
  id: string;
  refs: Map<string, string>;
  commits: Map<string, HubCommit>;
  prCount: number;
  createdAt: string;
  /** LFS objects uploaded to this repo (the Hub scopes LFS storage per repo). */
  lfs: Set<string>;
}

/** A fault: while `times` > 0, requests matching method + path get `action` instead of service. */
export interface HubFault {
  method?: string;
  /** Tested against the URL path (with query). */
  path: RegExp;
  /** How many matching requests to hit. @default 1 */
  times?: number;
  /**
   * `status` answers with that code; `drop` destroys the socket midway; `delay` waits, then serves;
   * `hold` serves once `until` settles (lets a test interleave another client deterministically);
   * `raw` answers with the given status, headers and body (hostile-server tests).
   */
  action:
    | { type: "status"; status: number; headers?: Record<string, string>; body?: unknown }
    | { type: "drop" }
    | { type: "delay"; ms: number }
    | { type: "hold"; until: Promise<unknown> }
    /** A hostile answer: exactly these headers and body (no content-length unless given: chunked). */
    | { type: "raw"; status: number; headers?: Record<string, string>; body: Buffer | string };
}

/** A request the server received (for counting in tests). */
export interface HubRequestLog {
  method: string;
  path: string;
  status: number;
  /** Bytes of request body received. */
  bodyBytes: number;
  authorization: string | undefined;
}

export interface HubServerOptions {
  /** Tokens accepted; others get 401. @default any token starting with `hf_` */
  tokens?: string[];
  /** User name whoami reports. @default "tester" */
  user?: string;
  /** Files ≥ this size are LFS in preupload even without binary content. @default 10 MB */
  lfsThreshold?: number;
  /** LFS uploads ≥ this size use the multipart transfer. @default 20 MiB */
  multipartThreshold?: number;
  /** Part size of multipart uploads. @default 8 MiB */
  chunkSize?: number;
  /** Max entries per tree page (then a `Link: rel="next"`). @default 1000 */
  treePageSize?: number;
  /** Max bytes of an NDJSON commit body (413 above). @default 10 MB */
  maxCommitBytes?: number;
}

export interface TestHubServer {
  url: string;
  /** Every request so far, in order. */
  requests: HubRequestLog[];
  /** LFS bytes received by upload PUTs (basic + parts). */
  uploadedBytes(): number;
  /** Adds a fault; returns it so a test can inspect `times` left. */
  addFault(fault: HubFault): HubFault;
  clearFaults(): void;
  /** Head commit sha of a ref, or undefined. */
  head(repo: string, ref?: string): string | undefined;
  /** Number of commits reachable in the repo (all refs). */
  commitCount(repo: string): number;
  /** Snapshot of files at a ref. */
  files(repo: string, ref?: string): Map<string, HubFileEntry>;
  /** Content of a file at a ref. */
  read(repo: string, path: string, ref?: string): Promise<Buffer>;
  close(): Promise<void>;
}

const GITATTRIBUTES = [
  "*.parquet filter=lfs diff=lfs merge=lfs -text",
  "*.arrow filter=lfs diff=lfs merge=lfs -text",
  "*.bin filter=lfs diff=lfs merge=lfs -text",
  "*.zst filter=lfs diff=lfs merge=lfs -text",
  "",
].join("\n");

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** git blob sha1 of `bytes`. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

function lfsPointer(oid: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`;
}

function newOid(): string {
  return randomBytes(20).toString("hex");
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Starts a test hub on 127.0.0.1 with a fresh temp storage dir. */
export async function startHubServer(options: HubServerOptions = {}): Promise<TestHubServer> {
  const storage = mkdtempSync(join(tmpdir(), "lw-hub-"));
  const objects = join(storage, "objects");
  const partsDir = join(storage, "parts");
  await mkdir(objects, { recursive: true });
  await mkdir(partsDir, { recursive: true });
  const lfsThreshold = options.lfsThreshold ?? 10 * 1000 * 1000;
  const multipartThreshold = options.multipartThreshold ?? 20 * 1024 * 1024;
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
  const treePageSize = options.treePageSize ?? 1000;
  const maxCommitBytes = options.maxCommitBytes ?? 10 * 1000 * 1000;
  const user = options.user ?? "tester";

  const repos = new Map<string, HubRepo>();
  const stored = new Set<string>(); // sha256 of objects on disk
  const faults: Array<HubFault & { times: number }> = [];
  const requests: HubRequestLog[] = [];
  const sockets = new Set<Socket>();
  let uploaded = 0;
  let base = "";

  const objectPath = (oid: string): string => join(objects, oid);

  async function storeObject(bytes: Uint8Array): Promise<string> {
    const oid = sha256(bytes);
    if (!stored.has(oid)) {
      const temp = join(objects, `.${oid}.${newOid()}.tmp`);
      await writeFile(temp, bytes);
      await rename(temp, objectPath(oid));
      stored.add(oid);
    }
    return oid;
  }

  function tokenOf(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) throw new HttpError(401, "Invalid credentials in Authorization header");
    const token = match[1]!;
    const ok = options.tokens ? options.tokens.includes(token) : token.startsWith("hf_");
    if (!ok) throw new HttpError(401, "Invalid credentials in Authorization header");
    return token;
  }

  function requireToken(req: IncomingMessage): string {
    const token = tokenOf(req);
    if (!token) throw new HttpError(401, "You must be authenticated to access this resource");
    return token;
  }

  function repoKey(type: string, name: string): string {
    return `${type}/${name}`;
  }

  function getRepo(type: string, name: string, req: IncomingMessage): HubRepo {
    const repo = repos.get(repoKey(type, name));
    const token = tokenOf(req);
    if (!repo || (repo.private && !token)) {
      throw new HttpError(repo ? 401 : 404, "Repository not found", "RepoNotFound");
    }
    return repo;
  }

  function resolveRev(repo: HubRepo, rev: string): HubCommit {
    const ref = rev === "HEAD" ? "main" : rev;
    const oid = repo.refs.get(ref) ?? (repo.commits.has(ref) ? ref : undefined);
    const commit = oid === undefined ? undefined : repo.commits.get(oid);
    if (!commit) throw new HttpError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
    return commit;
  }

  function addCommit(repo: HubRepo, ref: string, parent: HubCommit | undefined, files: Map<string, HubFileEntry>, title: string, message: string): HubCommit {
    const commit: HubCommit = { oid: newOid(), parent: parent?.oid, title, message, date: new Date().toISOString(), files };
    repo.commits.set(commit.oid, commit);
    repo.refs.set(ref, commit.oid);
    return commit;
  }

  async function regularEntry(bytes: Uint8Array): Promise<HubFileEntry> {
    const oid = await storeObject(bytes);
    return { size: bytes.length, gitOid: gitBlobSha1(bytes), sha256: oid, lfs: false };
  }

  function lfsEntry(oid: string, size: number): HubFileEntry {
    return { size, gitOid: gitBlobSha1(Buffer.from(lfsPointer(oid, size))), sha256: oid, lfs: true };
  }

  function repoInfo(repo: HubRepo, commit: HubCommit): Record<string, unknown> {
    const [author] = repo.name.split("/");
    return {
      _id: repo.id,
      id: repo.name,
      author,
      sha: commit.oid,
      private: repo.private,
      gated: false,
      disabled: false,
      likes: 0,
      downloads: 0,
      tags: [],
      createdAt: repo.createdAt,
      lastModified: commit.date,
      siblings: [...commit.files.keys()].sort().map((rfilename) => ({ rfilename })),
    };
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  function parseJson(body: Buffer): Record<string, unknown> {
    try {
      const value: unknown = JSON.parse(body.toString("utf8"));
      if (!value || typeof value !== "object") throw new Error("not an object");
      return value as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "Invalid JSON body");
    }
  }

  function validPath(path: unknown): string {
    if (typeof path !== "string" || path === "" || path.startsWith("/") || path.split("/").some((s) => s === "" || s === "." || s === "..")) {
      throw new HttpError(400, `Invalid path: ${String(path)}`);
    }
    return path;
  }

  // ---------------------------------------------------------------- handlers

  async function handleCreate(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    requireToken(req);
    const json = parseJson(body);
    const type = (json.type as string | undefined) ?? "model";
    const name = json.name;
    const org = (json.organization as string | undefined) ?? user;
    if (typeof name !== "string" || !/^[\w.-]+$/.test(name)) throw new HttpError(400, "Invalid repo name");
    const full = `${org}/${name}`;
    const key = repoKey(type, full);
    const url = `${base}/${type === "model" ? "" : `${type}s/`}${full}`;
    if (repos.has(key)) throw new HttpError(409, `You already created this ${type} repo`, undefined, { url });
    const repo: HubRepo = {
      type: type as HubRepo["type"],
      name: full,
      private: json.private === true || json.visibility === "private",
      id: randomBytes(12).toString("hex"),
      refs: new Map(),
      commits: new Map(),
      prCount: 0,
      createdAt: new Date().toISOString(),
      lfs: new Set(),
    };
    const files = new Map<string, HubFileEntry>();
    files.set(".gitattributes", await regularEntry(Buffer.from(GITATTRIBUTES)));
    for (const file of (json.files as Array<{ path: string; content: string }> | undefined) ?? []) {
      files.set(validPath(file.path), await regularEntry(Buffer.from(file.content, "base64")));
    }
    addCommit(repo, "main", undefined, files, "initial commit", "");
    repos.set(key, repo);
    sendJson(res, 200, { url, name: full, id: repo.id });
  }

  async function handleDeleteRepo(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    requireToken(req);
    const json = parseJson(body);
    const type = (json.type as string | undefined) ?? "model";
    const full = `${(json.organization as string | undefined) ?? user}/${String(json.name)}`;
    if (!repos.delete(repoKey(type, full))) throw new HttpError(404, "Repository not found", "RepoNotFound");
    res.writeHead(200).end();
  }

  async function handlePreupload(req: IncomingMessage, res: ServerResponse, repo: HubRepo, rev: string, body: Buffer, createPr: boolean): Promise<void> {
    requireToken(req);
    if (!createPr) resolveRev(repo, rev);
    const json = parseJson(body);
    const files = json.files;
    if (!Array.isArray(files)) throw new HttpError(400, "files must be an array");
    const head = createPr ? undefined : resolveRev(repo, rev);
    const out = files.map((file: { path?: unknown; size?: unknown; sample?: unknown }) => {
      const path = validPath(file.path);
      const size = Number(file.size);
      if (!Number.isInteger(size) || size < 0) throw new HttpError(400, `Invalid size for ${path}`);
      const sample = typeof file.sample === "string" ? Buffer.from(file.sample, "base64") : Buffer.alloc(0);
      const lfs = size > 0 && (path.endsWith(".parquet") || sample.includes(0) || size >= lfsThreshold);
      const existing = head?.files.get(path);
      return { path, uploadMode: lfs ? "lfs" : "regular", shouldIgnore: false, ...(existing ? { oid: existing.gitOid } : {}) };
    });
    sendJson(res, 200, { files: out, commitOid: head?.oid });
  }

  async function handleLfsBatch(req: IncomingMessage, res: ServerResponse, repo: HubRepo, body: Buffer): Promise<void> {
    requireToken(req);
    const json = parseJson(body);
    if (json.operation !== "upload") throw new HttpError(400, "Only the upload operation is supported");
    const transfers = Array.isArray(json.transfers) ? (json.transfers as string[]) : ["basic"];
    if (!transfers.includes("basic")) throw new HttpError(400, "basic transfer required");
    if (!Array.isArray(json.objects)) throw new HttpError(400, "objects must be an array");
    const useMultipart = transfers.includes("multipart");
    const objectsOut = (json.objects as Array<{ oid?: unknown; size?: unknown }>).map((object) => {
      const oid = String(object.oid);
      const size = Number(object.size);
      if (!/^[0-9a-f]{64}$/.test(oid) || !Number.isInteger(size) || size < 0) {
        return { oid, size, error: { code: 422, message: "Invalid oid or size" } };
      }
      if (repo.lfs.has(oid)) return { oid, size };
      const token = `${randomBytes(8).toString("hex")}&repo=${encodeURIComponent(repoKey(repo.type, repo.name))}`;
      if (useMultipart && size >= multipartThreshold) {
        const count = Math.ceil(size / chunkSize);
        const header: Record<string, string> = { chunk_size: String(chunkSize) };
        for (let i = 1; i <= count; i++) header[String(i).padStart(5, "0")] = `${base}/__lfs/${oid}/part/${i}?size=${size}&sig=${token}`;
        return { oid, size, authenticated: true, actions: { upload: { href: `${base}/__lfs/${oid}/complete?size=${size}&sig=${token}`, header } } };
      }
      return { oid, size, authenticated: true, actions: { upload: { href: `${base}/__lfs/${oid}?size=${size}&sig=${token}`, header: {} } } };
    });
    const text = JSON.stringify({ transfer: useMultipart ? "multipart" : "basic", objects: objectsOut });
    res.writeHead(200, { "Content-Type": "application/vnd.git-lfs+json", "X-Request-Id": randomBytes(6).toString("hex") });
    res.end(text);
  }

  async function handleLfsPut(res: ServerResponse, repo: HubRepo, oid: string, size: number, body: Buffer): Promise<void> {
    uploaded += body.length;
    if (body.length !== size) throw new HttpError(400, `Size mismatch: expected ${size}, got ${body.length}`);
    if (sha256(body) !== oid) throw new HttpError(400, "sha256 of the uploaded content does not match the oid");
    await storeObject(body);
    repo.lfs.add(oid);
    res.writeHead(200).end();
  }

  async function handlePartPut(res: ServerResponse, oid: string, part: number, body: Buffer): Promise<void> {
    uploaded += body.length;
    const dir = join(partsDir, oid);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, String(part)), body);
    res.writeHead(200, { ETag: `"${createHash("md5").update(body).digest("hex")}"` }).end();
  }

  async function handleComplete(res: ServerResponse, repo: HubRepo, oid: string, size: number, body: Buffer): Promise<void> {
    const json = parseJson(body);
    if (json.oid !== oid) throw new HttpError(400, "oid mismatch");
    const parts = json.parts as Array<{ partNumber: number; etag: string }> | undefined;
    if (!Array.isArray(parts) || parts.length !== Math.ceil(size / chunkSize)) throw new HttpError(400, "Wrong number of parts");
    const buffers: Buffer[] = [];
    const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    for (const [index, part] of sorted.entries()) {
      if (part.partNumber !== index + 1) throw new HttpError(400, "Parts must be numbered 1..N");
      let data: Buffer;
      try {
        data = await readFile(join(partsDir, oid, String(part.partNumber)));
      } catch {
        throw new HttpError(400, `Part ${part.partNumber} was not uploaded`);
      }
      const etag = `"${createHash("md5").update(data).digest("hex")}"`;
      if (part.etag !== etag) throw new HttpError(400, `ETag mismatch for part ${part.partNumber}`);
      buffers.push(data);
    }
    const all = Buffer.concat(buffers);
    if (all.length !== size || sha256(all) !== oid) throw new HttpError(400, "Reassembled content does not match the oid");
    await storeObject(all);
    repo.lfs.add(oid);
    await rm(join(partsDir, oid), { recursive: true, force: true });
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  }

  async function handleCommit(req: IncomingMessage, res: ServerResponse, repo: HubRepo, rev: string, body: Buffer, createPr: boolean): Promise<void> {
    requireToken(req);
    if (body.length > maxCommitBytes) throw new HttpError(413, "Payload Too Large");
    const base0 = resolveRev(repo, rev);
    const lines = body.toString("utf8").split("\n").filter((l) => l.trim() !== "");
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as { key: string; value: Record<string, unknown> };
      } catch {
        throw new HttpError(400, "Invalid NDJSON line");
      }
    });
    const header = parsed[0];
    if (!header || header.key !== "header") throw new HttpError(400, "The first line must be the header");
    const summary = header.value.summary;
    if (typeof summary !== "string" || summary.trim() === "") throw new HttpError(400, "summary is required");
    const parent = header.value.parentCommit;
    if (parent !== undefined && parent !== base0.oid) {
      throw new HttpError(412, "A commit has happened since. Please refresh and try again.");
    }
    const files = new Map(base0.files);
    for (const { key, value } of parsed.slice(1)) {
      if (key === "file") {
        const path = validPath(value.path);
        if (value.encoding !== "base64" || typeof value.content !== "string") throw new HttpError(400, `Unsupported encoding for ${path}`);
        files.set(path, await regularEntry(Buffer.from(value.content, "base64")));
      } else if (key === "lfsFile") {
        const path = validPath(value.path);
        const oid = String(value.oid);
        if (value.algo !== "sha256") throw new HttpError(400, `Unsupported algo for ${path}`);
        if (!repo.lfs.has(oid)) throw new HttpError(422, `LFS object ${oid} for ${path} was not uploaded to this repo`);
        const size = (await stat(objectPath(oid))).size;
        if (Number(value.size) !== size) throw new HttpError(422, `Size mismatch for ${path}`);
        files.set(path, lfsEntry(oid, size));
      } else if (key === "deletedFile") {
        const path = validPath(value.path);
        if (!files.delete(path)) throw new HttpError(404, `File not found: ${path}`, "EntryNotFound");
      } else if (key === "deletedFolder") {
        const prefix = `${validPath(value.path)}/`;
        for (const path of [...files.keys()]) if (path.startsWith(prefix)) files.delete(path);
      } else {
        throw new HttpError(400, `Unknown operation key: ${key}`);
      }
    }
    let ref = rev === "HEAD" ? "main" : rev;
    let pullRequestUrl: string | undefined;
    if (createPr) {
      repo.prCount += 1;
      ref = `refs/pr/${repo.prCount}`;
      pullRequestUrl = `${base}/${repo.type}s/${repo.name}/discussions/${repo.prCount}`;
    } else if (!repo.refs.has(ref)) {
      throw new HttpError(400, "Commits to a commit sha are not allowed; use a branch", "RevisionNotFound");
    }
    const commit = addCommit(repo, ref, base0, files, summary, typeof header.value.description === "string" ? header.value.description : "");
    sendJson(res, 200, {
      success: true,
      commitOid: commit.oid,
      commitUrl: `${base}/${repo.type}s/${repo.name}/commit/${commit.oid}`,
      hookOutput: "",
      ...(pullRequestUrl ? { pullRequestUrl } : {}),
    });
  }

  async function handleBranch(req: IncomingMessage, res: ServerResponse, repo: HubRepo, branch: string, body: Buffer): Promise<void> {
    requireToken(req);
    const json = body.length ? parseJson(body) : {};
    if (repo.refs.has(branch) && json.overwrite !== true) throw new HttpError(409, `Reference already exists: refs/heads/${branch}`);
    if (!/^[\w.\-/]+$/.test(branch) || branch.startsWith("refs/")) throw new HttpError(400, "Invalid branch name");
    const start = resolveRev(repo, typeof json.startingPoint === "string" ? json.startingPoint : "main");
    if (json.emptyBranch === true) addCommit(repo, branch, undefined, new Map(), `Create branch ${branch}`, "");
    else repo.refs.set(branch, start.oid);
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  }

  function treeEntries(commit: HubCommit, dir: string, recursive: boolean): Array<Record<string, unknown>> {
    const prefix = dir === "" ? "" : `${dir}/`;
    const dirs = new Set<string>();
    const entries: Array<Record<string, unknown>> = [];
    for (const [path, file] of commit.files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const parts = rest.split("/");
      for (let i = 1; i < parts.length; i++) {
        if (!recursive && i > 1) break;
        dirs.add(prefix + parts.slice(0, i).join("/"));
      }
      if (!recursive && parts.length > 1) continue;
      entries.push({
        type: "file",
        oid: file.gitOid,
        size: file.size,
        path,
        ...(file.lfs ? { lfs: { oid: file.sha256, size: file.size, pointerSize: lfsPointer(file.sha256, file.size).length } } : {}),
      });
    }
    for (const d of dirs) entries.push({ type: "directory", oid: createHash("sha1").update(`tree ${d}`).digest("hex"), size: 0, path: d });
    if (dir !== "" && entries.length === 0) throw new HttpError(404, `Entry not found: ${dir}`, "EntryNotFound");
    return entries.sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1));
  }

  async function handleResolve(req: IncomingMessage, res: ServerResponse, repo: HubRepo, rev: string, path: string, raw: boolean): Promise<void> {
    const commit = resolveRev(repo, rev);
    const file = commit.files.get(path);
    if (!file) throw new HttpError(404, "Entry not found", "EntryNotFound");
    const content = raw && file.lfs ? Buffer.from(lfsPointer(file.sha256, file.size)) : await readFile(objectPath(file.sha256));
    const headers: Record<string, string> = {
      ETag: file.lfs && !raw ? `"${file.sha256}"` : `"${file.gitOid}"`,
      "X-Repo-Commit": commit.oid,
      "Accept-Ranges": "bytes",
      "Content-Type": "application/octet-stream",
    };
    if (file.lfs && !raw) {
      headers["X-Linked-ETag"] = `"${file.sha256}"`;
      headers["X-Linked-Size"] = String(file.size);
    }
    const size = content.length;
    const range = req.headers.range;
    let status = 200;
    let slice = content;
    if (range) {
      const match = /^bytes=(\d*)-(\d*)$/.exec(range);
      if (!match || (match[1] === "" && match[2] === "")) throw new HttpError(416, "Invalid range");
      let start: number;
      let end: number;
      if (match[1] === "") {
        start = Math.max(0, size - Number(match[2]));
        end = size - 1;
      } else {
        start = Number(match[1]);
        end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
      }
      if (size === 0) {
        headers["Content-Range"] = "bytes */0";
      } else if (start >= size || start > end) {
        res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
        return;
      } else {
        status = 206;
        slice = content.subarray(start, end + 1);
        headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
      }
    }
    headers["Content-Length"] = String(slice.length);
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : slice);
  }

  // ---------------------------------------------------------------- routing

  async function route(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const path = url.pathname;
    const method = req.method ?? "GET";
    let m: RegExpExecArray | null;

    if (method === "GET" && path === "/api/whoami-v2") {
      const token = requireToken(req);
      void token;
      sendJson(res, 200, {
        type: "user",
        id: "u1",
        name: user,
        fullname: user,
        email: `${user}@example.invalid`,
        emailVerified: true,
        isPro: false,
        canPay: false,
        avatarUrl: "",
        periodEnd: null,
        billingMode: "prepaid",
        orgs: [],
        auth: { type: "access_token", accessToken: { displayName: "test", role: "write", createdAt: new Date(0).toISOString() } },
      });
      return;
    }
    if (method === "POST" && path === "/api/repos/create") return handleCreate(req, res, body);
    if (method === "DELETE" && path === "/api/repos/delete") return handleDeleteRepo(req, res, body);

    // LFS object endpoints: self-authorizing hrefs (no Authorization header is sent).
    if ((m = /^\/__lfs\/([0-9a-f]{64})(?:\/(part)\/(\d+)|\/(complete))?$/.exec(path))) {
      const oid = m[1]!;
      const size = Number(url.searchParams.get("size"));
      const target = repos.get(url.searchParams.get("repo") ?? "");
      if (!url.searchParams.get("sig") || !target) throw new HttpError(403, "Missing or invalid signature");
      if (m[2] === "part" && method === "PUT") return handlePartPut(res, oid, Number(m[3]), body);
      if (m[4] === "complete" && method === "POST") return handleComplete(res, target, oid, size, body);
      if (!m[2] && !m[4] && method === "PUT") return handleLfsPut(res, target, oid, size, body);
      throw new HttpError(405, "Method not allowed");
    }

    // git-lfs batch: /datasets/ns/name.git/info/lfs/objects/batch (models: /ns/name.git/…)
    if ((m = /^\/(?:(datasets|spaces)\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/.exec(path)) && method === "POST") {
      const type = m[1] ? m[1].slice(0, -1) : "model";
      return handleLfsBatch(req, res, getRepo(type, m[2]!, req), body);
    }

    // API: /api/{t}s/{ns}/{name}[/{action}/{rest}]
    if ((m = /^\/api\/(models|datasets|spaces)\/([^/]+\/[^/]+)(?:\/([a-z-]+)(?:\/(.*))?)?$/.exec(path))) {
      const type = m[1]!.slice(0, -1);
      const name = m[2]!;
      const action = m[3];
      const rest = m[4] ?? "";
      const repo = getRepo(type, name, req);
      const createPr = url.searchParams.get("create_pr") === "1";
      if (!action && method === "GET") return sendJson(res, 200, repoInfo(repo, resolveRev(repo, "main")));
      if (action === "revision" && method === "GET") return sendJson(res, 200, repoInfo(repo, resolveRev(repo, decodeURIComponent(rest))));
      if (action === "preupload" && method === "POST") return handlePreupload(req, res, repo, decodeURIComponent(rest), body, createPr);
      if (action === "commit" && method === "POST") return handleCommit(req, res, repo, decodeURIComponent(rest), body, createPr);
      if (action === "branch" && method === "POST") return handleBranch(req, res, repo, decodeURIComponent(rest), body);
      if (action === "tree" && method === "GET") {
        // The revision is not URL-encoded by clients; a `refs%2Fpr%2FN` form is accepted too.
        const [revRaw, ...dirParts] = rest.split("/");
        const commit = resolveRev(repo, decodeURIComponent(revRaw ?? "main"));
        const dir = dirParts.map(decodeURIComponent).join("/").replace(/\/$/, "");
        const entries = treeEntries(commit, dir, url.searchParams.get("recursive") === "true");
        const cursor = Number(url.searchParams.get("cursor") ?? "0");
        const page = entries.slice(cursor, cursor + treePageSize);
        const headers: Record<string, string> = {};
        if (cursor + treePageSize < entries.length) {
          const next = new URL(url.href);
          next.searchParams.set("cursor", String(cursor + treePageSize));
          headers.Link = `<${next.href}>; rel="next"`;
        }
        return sendJson(res, 200, page, headers);
      }
      if (action === "commits" && method === "GET") {
        const out: unknown[] = [];
        for (let c: HubCommit | undefined = resolveRev(repo, decodeURIComponent(rest)); c; c = c.parent ? repo.commits.get(c.parent) : undefined) {
          out.push({ id: c.oid, title: c.title, message: c.message, authors: [{ user, avatar: "" }], date: c.date });
        }
        return sendJson(res, 200, out);
      }
      if (action === "paths-info" && method === "POST") {
        const json = parseJson(body);
        const commit = resolveRev(repo, decodeURIComponent(rest));
        const wanted = new Set((json.paths as string[] | undefined) ?? []);
        return sendJson(res, 200, treeEntries(commit, "", true).filter((e) => wanted.has(String(e.path))));
      }
      throw new HttpError(404, "Not found");
    }

    // resolve/raw: /datasets/ns/name/(resolve|raw)/{rev}/{path…}
    if ((m = /^\/(?:(datasets|spaces)\/)?([^/]+\/[^/]+)\/(resolve|raw)\/([^/]+)\/(.+)$/.exec(path)) && (method === "GET" || method === "HEAD")) {
      const type = m[1] ? m[1].slice(0, -1) : "model";
      const repo = getRepo(type, m[2]!, req);
      const filePath = m[5]!.split("/").map(decodeURIComponent).join("/");
      return handleResolve(req, res, repo, decodeURIComponent(m[4]!), filePath, m[3] === "raw");
    }
    throw new HttpError(404, "Not found");
  }

  function matchFault(method: string, path: string): (HubFault & { times: number }) | undefined {
    const fault = faults.find((f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (fault) fault.times -= 1;
    return fault;
  }

  const server: Server = createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const log: HubRequestLog = { method, path, status: 0, bodyBytes: 0, authorization: req.headers.authorization };
    requests.push(log);
    res.on("finish", () => (log.status = res.statusCode));
    const fault = matchFault(method, path);
    void (async () => {
      try {
        if (fault?.action.type === "drop") {
          // Read part of the body (if any), then cut the connection: the client sees a reset.
          log.status = -1;
          if (req.headers["content-length"] && Number(req.headers["content-length"]) > 0) {
            await new Promise<void>((resolve) => {
              req.once("data", () => resolve());
              req.once("end", () => resolve());
            });
          } else {
            res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": "1000000" });
            res.write(Buffer.alloc(1000));
          }
          req.socket.destroy();
          return;
        }
        const body = await readBody(req);
        log.bodyBytes = body.length;
        if (fault?.action.type === "status") {
          sendJson(res, fault.action.status, fault.action.body ?? { error: `Injected ${fault.action.status}` }, fault.action.headers ?? {});
          return;
        }
        if (fault?.action.type === "raw") {
          res.writeHead(fault.action.status, fault.action.headers ?? {});
          res.end(fault.action.body);
          return;
        }
        if (fault?.action.type === "delay") await new Promise((r) => setTimeout(r, (fault.action as { ms: number }).ms));
        if (fault?.action.type === "hold") await fault.action.until.catch(() => undefined);
        await route(req, res, body);
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof HttpError) {
          const headers: Record<string, string> = {};
          if (error.errorCode) {
            headers["X-Error-Code"] = error.errorCode;
            headers["X-Error-Message"] = error.message;
          }
          sendJson(res, error.status, { error: error.message, ...error.extra }, headers);
        } else {
          sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
        }
      }
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function repoByName(repo: string): HubRepo {
    const found = repos.get(repo.includes("/") && /^(dataset|model|space)\//.test(repo) ? repo : `dataset/${repo}`);
    if (!found) throw new Error(`no repo ${repo}`);
    return found;
  }

  return {
    url: base,
    requests,
    uploadedBytes: () => uploaded,
    addFault(fault) {
      const entry = { ...fault, times: fault.times ?? 1 };
      faults.push(entry);
      return entry;
    },
    clearFaults: () => void faults.splice(0),
    head(repo, ref = "main") {
      const found = repos.get(`dataset/${repo}`) ?? repos.get(repo);
      return found?.refs.get(ref);
    },
    commitCount(repo) {
      return repoByName(repo).commits.size;
    },
    files(repo, ref = "main") {
      return new Map(resolveRev(repoByName(repo), ref).files);
    },
    async read(repo, path, ref = "main") {
      const file = resolveRev(repoByName(repo), ref).files.get(path);
      if (!file) throw new Error(`no file ${path}`);
      return readFile(objectPath(file.sha256));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(storage, { recursive: true, force: true });
    },
  };
}
