/** The WebAssembly modules embedded in src/ are what their AssemblyScript sources in wasm/ compile to. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/run-cli.js";

describe("embedded wasm modules", () => {
  it("match their sources (scripts/build-wasm.mjs --check): the SNAPPY compressor, the word counter, the dedup key normaliser, the JSON unescaper", () => {
    const run = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], { cwd: PROJECT_ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("src/io/snappy-compress-wasm.ts matches wasm/snappy-compress.ts");
    expect(run.stdout).toContain("src/text/count-words-wasm.ts matches wasm/count-words.ts");
    expect(run.stdout).toContain("src/mix/normalise-key-wasm.ts matches wasm/normalise-key.ts");
    expect(run.stdout).toContain("src/io/adapters/unescape-json-wasm.ts matches wasm/unescape-json.ts");
  }, 60_000);
});
