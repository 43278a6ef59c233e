/**
 * What each way in loads before its code runs (static imports, read from the sources): the CLI entry loads
 * no package (help and --version are answered without yargs), a command loads no progress bar and no
 * tokenizer until it draws or counts, the package entry no Hub library or codec until a call needs one, a
 * row-group worker loads the Parquet writer and nothing for other codecs or for reading. Runtime checks of the same are in test/prerendered-help.test.ts and
 * test/npm-package.test.ts.
 */
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { commandLoaders } from "../src/cli/commands/index.js";
import { PARQUET_CODECS, readDecompressors, writeCompressors } from "../src/io/parquet-codecs.js";
import { importGraph, staticPackages } from "./helpers/import-graph.js";
import { PROJECT_ROOT } from "./helpers/run-cli.js";

const SRC = join(PROJECT_ROOT, "src");

describe("start-up import graphs", () => {
  it("the CLI entry loads no package and no part of the library", () => {
    expect(staticPackages(join(SRC, "cli/index.ts"))).toEqual([]);
    const files = importGraph(join(SRC, "cli/index.ts")).files.map((file) => relative(SRC, file));
    expect(files.sort()).toEqual(["cli/commands/index.ts", "cli/help-width.ts", "cli/index.ts", "cli/prerendered-help.ts", "version.ts"]);
  });

  it("no command loads cli-progress or a tokenizer before it needs one", () => {
    for (const [name] of commandLoaders) {
      const packages = staticPackages(join(SRC, "cli/commands", `${name}.ts`));
      for (const lazy of ["cli-progress", "tiktoken", "@huggingface/tokenizers"]) expect(packages, `${name} loads ${lazy}`).not.toContain(lazy);
    }
  });

  it("stats loads no Parquet library until it reads a Parquet file", () => {
    const packages = staticPackages(join(SRC, "cli/commands/stats.ts"));
    for (const lazy of ["hyparquet", "hyparquet-writer"]) expect(packages, lazy).not.toContain(lazy);
    expect(importGraph(join(SRC, "cli/commands/stats.ts")).packages).toContain("dynamic:hyparquet");
  });

  it("the package entry loads no Hub library, tokenizer, codec or CLI package before their first use", () => {
    const packages = staticPackages(join(SRC, "index.ts"));
    for (const lazy of [
      "@huggingface/hub",
      "tiktoken",
      "@huggingface/tokenizers",
      "hysnappy",
      "@bokuweb/zstd-wasm",
      "hyparquet-compressors",
      "yargs",
      "cli-progress",
    ]) {
      expect(packages, lazy).not.toContain(lazy);
    }
    expect(packages).toContain("hyparquet-writer"); // the control: the graph is read
  });

  it("a row-group worker loads the Parquet writer only (no zstd wasm, no read-side decompressors)", () => {
    // (its byte reader shares the adapters' turn helpers, where the import scan reads `from "function_call"`)
    const packages = staticPackages(join(SRC, "io/row-group-worker.ts")).filter((name) => name !== "function_call");
    expect(packages).toEqual(["hyparquet", "hyparquet-writer"]);
  });

  it("a JSONL reader thread and the mix's range handler load no package (no zod: SFT adapters only)", () => {
    for (const file of ["io/record-range-worker.ts", "mix/candidate-range-handler.ts"]) {
      // (the import scan also reads `from "function_call"` in a ShareGPT adapter's comment as a package)
      const packages = staticPackages(join(SRC, file)).filter((name) => name !== "function_call");
      expect(packages, file).toEqual([]);
    }
  });
});

describe("codecs load on demand", () => {
  it("writeCompressors sets up the codecs asked for (default: all), each compressing", async () => {
    expect(Object.keys(await writeCompressors({}, ["SNAPPY"]))).toEqual(["SNAPPY"]);
    expect(Object.keys(await writeCompressors({}, ["UNCOMPRESSED"]))).toEqual([]);
    const all = await writeCompressors({ zstdLevel: 5 });
    expect(Object.keys(all).sort()).toEqual(PARQUET_CODECS.filter((codec) => codec !== "UNCOMPRESSED").sort());
    const decompressors = await readDecompressors();
    const input = new TextEncoder().encode("rivers carry water ".repeat(200));
    for (const codec of ["SNAPPY", "ZSTD", "GZIP"] as const) {
      const packed = all[codec]!(input);
      expect(packed.length, codec).toBeLessThan(input.length / 4);
      expect(decompressors[codec]!(packed, input.length), codec).toEqual(input);
    }
  });
});
