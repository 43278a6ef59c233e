/**
 * The benchmark files are downloaded on first use from a pinned upstream URL, checked against sha256 and
 * cached atomically. Here the "upstream" is a 127.0.0.1 server serving the shared copies (and a tampered
 * one); nothing leaves the machine.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BENCH_COMMIT, BENCH_FILE_SHA256, benchFileUrl, resolveBenchFile } from "../src/eval/bench-files.js";
import { UPSTREAM_FILES, readUpstreamText, resolveUpstreamFile } from "../src/upstream/upstream-files.js";
import { loadBench } from "../src/eval/load-bench.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const DATA = "../shared/data/longbench-write";
const PROMPTS = "../shared/data/longwriter-upstream";
let server: Server;
let base: string;
const hits: string[] = [];
let tamper = false;
/** Commits the fake upstream can serve. */
let served = new Set([BENCH_COMMIT]);

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const match = /^\/THUDM\/LongWriter\/([^/]+)\/(evaluation|agentwrite\/prompts)\/([a-z_]+\.(?:jsonl|txt))$/.exec(req.url ?? "");
    const file = match ? join(match[3]!.endsWith(".txt") ? PROMPTS : DATA, match[3]!) : "";
    const where = match?.[3] === "judge.txt" ? "evaluation" : match?.[3]?.endsWith(".txt") ? "agentwrite/prompts" : "evaluation";
    if (!match || !served.has(match[1]!) || match[2] !== where || !existsSync(file)) {
      res.writeHead(404).end("not found");
      return;
    }
    let body = readFileSync(file);
    if (tamper) body = Buffer.concat([body, Buffer.from("\n")]);
    res.writeHead(200, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("bench files", () => {
  const dir = makeTmpDir("lw-bench-");

  it("pins the upstream URL at a commit", () => {
    expect(benchFileUrl("longbench_write.jsonl", { baseUrl: "https://raw.githubusercontent.com" })).toBe(
      `https://raw.githubusercontent.com/THUDM/LongWriter/${BENCH_COMMIT}/evaluation/longbench_write.jsonl`,
    );
  });

  it("downloads once, verifies sha256, then serves from the cache without HTTP", async () => {
    const cacheDir = join(dir, "cache1");
    hits.length = 0;
    const first = await resolveBenchFile({ name: "longwrite_ruler.jsonl", cacheDir, baseUrl: base });
    expect(first.downloaded).toBe(true);
    expect(first.sha256).toBe(BENCH_FILE_SHA256["longwrite_ruler.jsonl"]);
    expect(readFileSync(first.path)).toEqual(readFileSync(join(DATA, "longwrite_ruler.jsonl")));
    const second = await resolveBenchFile({ name: "longwrite_ruler.jsonl", cacheDir, baseUrl: base });
    expect(second).toMatchObject({ downloaded: false, path: first.path });
    expect(hits).toHaveLength(1);
    // No temp files left next to the cached copy.
    expect(readdirSync(join(first.path, "..")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("rejects a download whose checksum differs and caches nothing", async () => {
    const cacheDir = join(dir, "cache2");
    tamper = true;
    try {
      await expect(resolveBenchFile({ name: "longbench_write_en.jsonl", cacheDir, baseUrl: base })).rejects.toThrow(
        /checksum mismatch for longbench_write_en\.jsonl .* expected sha256 87800927/,
      );
      expect(existsSync(cacheDir) ? readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith(".jsonl")) : []).toEqual([]);
    } finally {
      tamper = false;
    }
  });

  it("re-downloads when the cached copy was corrupted", async () => {
    const cacheDir = join(dir, "cache3");
    const { path } = await resolveBenchFile({ name: "longwrite_ruler.jsonl", cacheDir, baseUrl: base });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(path, "garbage");
    const again = await resolveBenchFile({ name: "longwrite_ruler.jsonl", cacheDir, baseUrl: base });
    expect(again.downloaded).toBe(true);
    expect(readFileSync(path, "utf8")).not.toBe("garbage");
  });

  it("explains an HTTP failure and points at --bench-file", async () => {
    await expect(resolveBenchFile({ name: "longwrite_ruler.jsonl", cacheDir: join(dir, "c4"), baseUrl: base, commit: "0000000" })).rejects.toThrow(
      /HTTP 404.*--bench-file/,
    );
  });

  it("pins the full 40-hex commit and has no fallback", async () => {
    expect(BENCH_COMMIT).toMatch(/^[0-9a-f]{40}$/);
    const urls: string[] = [];
    await expect(
      resolveBenchFile({ name: "longwrite_ruler.jsonl", cacheDir: join(dir, "cache-fb"), baseUrl: base, commit: "3fcfdff", onDownload: (u) => urls.push(u) }),
    ).rejects.toThrow(/HTTP 404/);
    expect(urls).toEqual([`${base}/THUDM/LongWriter/3fcfdff/evaluation/longwrite_ruler.jsonl`]);
  });

  it("downloads the judge, plan and write prompts from their upstream folders, byte-identical", async () => {
    const cacheDir = join(dir, "cache-prompts");
    for (const name of ["judge.txt", "plan.txt", "write.txt"] as const) {
      const urls: string[] = [];
      const got = await readUpstreamText({ name, cacheDir, baseUrl: base, onDownload: (u) => urls.push(u) });
      expect(urls).toEqual([`${base}/THUDM/LongWriter/${BENCH_COMMIT}/${UPSTREAM_FILES[name].path}`]);
      expect(got).toMatchObject({ downloaded: true, from: "download", sha256: UPSTREAM_FILES[name].sha256 });
      expect(got.text).toBe(readFileSync(join(PROMPTS, name), "utf8"));
      expect((await resolveUpstreamFile({ name, cacheDir, baseUrl: base })).from).toBe("cache");
    }
    expect(UPSTREAM_FILES["plan.txt"].path).toBe("agentwrite/prompts/plan.txt");
    expect(UPSTREAM_FILES["judge.txt"].path).toBe("evaluation/judge.txt");
  });

  it("uses a local copy folder offline (LONGWRITER_UPSTREAM_DIR) only when its sha256 is upstream's", async () => {
    const saved = process.env.LONGWRITER_UPSTREAM_DIR;
    process.env.LONGWRITER_UPSTREAM_DIR = PROMPTS;
    try {
      const got = await resolveUpstreamFile({ name: "write.txt", cacheDir: join(dir, "cache-local"), baseUrl: "http://127.0.0.1:9" });
      expect(got).toMatchObject({ from: "local", path: join(PROMPTS, "write.txt"), downloaded: false });
    } finally {
      if (saved === undefined) delete process.env.LONGWRITER_UPSTREAM_DIR;
      else process.env.LONGWRITER_UPSTREAM_DIR = saved;
    }
    const { writeFileSync, mkdirSync } = await import("node:fs");
    const edited = join(dir, "edited");
    mkdirSync(edited, { recursive: true });
    writeFileSync(join(edited, "plan.txt"), `${readFileSync(join(PROMPTS, "plan.txt"), "utf8")} `);
    await expect(resolveUpstreamFile({ name: "plan.txt", localDir: edited })).rejects.toThrow(/plan\.txt is not upstream's plan\.txt.*expected sha256 cf65adef/);
    // A file the folder does not hold comes from the cache or a download.
    const fallback = await resolveUpstreamFile({ name: "judge.txt", localDir: edited, cacheDir: join(dir, "cache-fallthrough"), baseUrl: base });
    expect(fallback.from).toBe("download");
  });

  it("loads LongBench-Write with the en file's language split from the download", async () => {
    const { items, source } = await loadBench({ benchmark: "longbench-write", cacheDir: join(dir, "cache5"), baseUrl: base });
    expect(items).toHaveLength(120);
    expect(source).toMatchObject({ matchesUpstream: true, languageFrom: "en-file" });
    expect(items.filter((i) => i.language === "en")).toHaveLength(60);
    const zhEnglish = items.filter((i) => i.language === "en" && /[\u4e00-\u9fff]/.test(i.prompt));
    expect(zhEnglish).toHaveLength(1); // one Chinese-language prompt asks for English output
  });

  it("honours LONGWRITER_BENCH_BASE_URL and LONGWRITER_CACHE", async () => {
    const cache = join(dir, "env-cache");
    const saved = { base: process.env.LONGWRITER_BENCH_BASE_URL, cache: process.env.LONGWRITER_CACHE };
    process.env.LONGWRITER_BENCH_BASE_URL = base;
    process.env.LONGWRITER_CACHE = cache;
    try {
      const urls: string[] = [];
      const { items, source } = await loadBench({ benchmark: "ruler", onDownload: (url) => urls.push(url) });
      expect(items).toHaveLength(48);
      expect(urls).toEqual([`${base}/THUDM/LongWriter/${BENCH_COMMIT}/evaluation/longwrite_ruler.jsonl`]);
      expect(source.file.startsWith(cache)).toBe(true);
    } finally {
      for (const [key, value] of [["LONGWRITER_BENCH_BASE_URL", saved.base], ["LONGWRITER_CACHE", saved.cache]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe("local bench files", () => {
  it("uses the sibling en file for the language split, and the en file alone is all English", async () => {
    const full = await loadBench({ benchmark: "longbench-write", benchFile: `${DATA}/longbench_write.jsonl`, lang: "zh" });
    expect(full.items).toHaveLength(60);
    expect(full.source).toMatchObject({ matchesUpstream: true, languageFrom: "en-file" });
    const en = await loadBench({ benchmark: "longbench-write", benchFile: `${DATA}/longbench_write_en.jsonl` });
    expect(en.items).toHaveLength(60);
    expect(en.items.every((i) => i.language === "en")).toBe(true);
    expect(en.source.matchesUpstream).toBe(true);
    const ruler = await loadBench({ benchmark: "ruler", benchFile: DATA, lang: "en" });
    expect(ruler.items).toHaveLength(24);
    expect(new Set(ruler.items.map((i) => i.requiredLength))).toEqual(new Set([1000, 2000, 5000, 10000, 20000, 30000]));
  });

  it("reports a missing local file as a usage error", async () => {
    await expect(loadBench({ benchmark: "ruler", benchFile: "/nonexistent/bench.jsonl" })).rejects.toThrow(/bench file not found/);
  });
});
