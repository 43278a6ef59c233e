import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { ConfigError, InputError } from "../errors.js";
import { TOOL_VERSION } from "../version.js";
import { SFT_COLUMNS } from "./column-spec.js";
import { readDatasetDir, sha256File, shardFileName, writeDatasetDir } from "./dataset-dir.js";
import { readParquetInfo } from "./parquet-read.js";
import { collect } from "../../test/helpers/collect.js";

const root = makeTmpDir("lw-dsdir-");

function rows(count: number, size = 200, offset = 0) {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return {
      messages: [
        { role: "user", content: `prompt ${i}` },
        { role: "assistant", content: `${"答".repeat(size)} ${i}` },
      ],
      id: `id-${i}`,
      source: "test",
      meta: { i },
    };
  });
}

describe("writeDatasetDir", () => {
  it("writes the Hub layout: shards named -of-n, card with configs, manifest with sha256", async () => {
    const dir = join(root, "hub");
    const manifest = await writeDatasetDir({
      dir,
      columns: SFT_COLUMNS,
      splits: { train: rows(120, 300), test: rows(7, 50, 1000) },
      codec: "UNCOMPRESSED",
      rowGroupBytes: 8_000,
      maxShardBytes: 40_000,
      manifest: { sources: [{ repo: "local", rows: 127 }], drops: { too_short: 3 } },
    });
    const data = (await readdir(join(dir, "data"))).sort();
    const trainFiles = data.filter((f) => f.startsWith("train-"));
    const n = trainFiles.length;
    expect(n).toBeGreaterThan(1);
    expect(trainFiles).toEqual(Array.from({ length: n }, (_, i) => shardFileName("train", i, n)));
    expect(data).toContain("test-00000-of-00001.parquet");
    expect(data.filter((f) => f.startsWith("."))).toEqual([]);

    expect(manifest.splits.train!.rows).toBe(120);
    expect(manifest.splits.test!.rows).toBe(7);
    expect(manifest.tool.version).toBe(TOOL_VERSION);
    expect(manifest.drops).toEqual({ too_short: 3 });
    const onDisk = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
    expect(onDisk).toEqual(manifest);
    for (const file of manifest.files) {
      expect(await sha256File(join(dir, file.path))).toBe(file.sha256);
      expect((await readParquetInfo(join(dir, file.path))).rows).toBe(file.rows);
    }

    const card = await readFile(join(dir, "README.md"), "utf8");
    const front = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(card)![1]!);
    expect(front).toEqual({
      configs: [
        {
          config_name: "default",
          data_files: [
            { split: "train", path: "data/train-*" },
            { split: "test", path: "data/test-*" },
          ],
        },
      ],
    });
    expect(card).toContain("train: 120 rows");
  });

  it("is byte-identical when written twice from the same input", async () => {
    const write = (dir: string) =>
      writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows(50) }, codec: "ZSTD", rowGroupBytes: 2_000, maxShardBytes: 2_500 });
    const a = await write(join(root, "det-a"));
    const b = await write(join(root, "det-b"));
    expect(a.files).toEqual(b.files);
    expect(a.files.length).toBeGreaterThan(1);
    for (const file of a.files) {
      expect(Buffer.compare(await readFile(join(root, "det-a", file.path)), await readFile(join(root, "det-b", file.path)))).toBe(0);
    }
    // the card names the dir (its title); otherwise identical
    const cardA = await readFile(join(root, "det-a", "README.md"), "utf8");
    const cardB = await readFile(join(root, "det-b", "README.md"), "utf8");
    expect(cardA.replace("det-a", "X")).toBe(cardB.replace("det-b", "X"));
    expect(await readFile(join(root, "det-a", "manifest.json"), "utf8")).toBe(await readFile(join(root, "det-b", "manifest.json"), "utf8"));
  });

  it("leaves no target and no temp dir when the source throws midway", async () => {
    const parent = join(root, "atomic");
    await mkdir(parent);
    async function* broken() {
      yield* rows(30, 500);
      throw new Error("upstream failed at row 31");
    }
    await expect(
      writeDatasetDir({ dir: join(parent, "out"), columns: SFT_COLUMNS, splits: { train: broken() }, rowGroupBytes: 2_000, maxShardBytes: 5_000 }),
    ).rejects.toThrow("upstream failed at row 31");
    expect(await readdir(parent)).toEqual([]);
  });

  it("replaces an existing dataset dir only on success", async () => {
    const dir = join(root, "replace");
    await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows(5) } });
    const before = await readFile(join(dir, "manifest.json"), "utf8");
    const bad = [...rows(3), { id: "x" }];
    const error = await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: bad } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(4);
    expect((error as InputError).field).toBe("messages");
    expect((error as InputError).message).toContain("split train");
    expect(await readFile(join(dir, "manifest.json"), "utf8")).toBe(before);
    expect((await readdir(root)).filter((f) => f.startsWith(".replace"))).toEqual([]);

    await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows(9) } });
    expect((await readDatasetDir(dir)).manifest.splits.train!.rows).toBe(9);
    expect((await readdir(root)).filter((f) => f.startsWith(".replace"))).toEqual([]);
  });

  it("writes an empty split as one valid zero-row shard", async () => {
    const dir = join(root, "empty");
    const manifest = await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows(3), validation: [] } });
    expect(manifest.splits.validation).toEqual({ rows: 0, files: ["data/validation-00000-of-00001.parquet"] });
    const opened = await readDatasetDir(dir, { verify: true });
    expect(await collect(opened.rows("validation"))).toEqual([]);
    expect((await readParquetInfo(join(dir, "data/validation-00000-of-00001.parquet"))).rows).toBe(0);
  });

  it("takes a card (string or function of the manifest) and extra files", async () => {
    const dir = join(root, "card");
    await writeDatasetDir({
      dir,
      columns: SFT_COLUMNS,
      splits: { train: rows(4) },
      card: (m) => `---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n---\n\nrows: ${m.splits.train!.rows}\n`,
      extraFiles: { "assets/lengths.svg": "<svg/>", "recipe.yaml": new TextEncoder().encode("name: x\n") },
    });
    expect(await readFile(join(dir, "README.md"), "utf8")).toContain("rows: 4");
    expect(await readFile(join(dir, "assets/lengths.svg"), "utf8")).toBe("<svg/>");
    expect(await readFile(join(dir, "recipe.yaml"), "utf8")).toBe("name: x\n");
  });

  const configErrors: Array<[string, Partial<Parameters<typeof writeDatasetDir>[0]>, RegExp]> = [
    ["a card without front matter", { card: "# just a title\n" }, /must start with YAML front matter/],
    ["a card whose configs miss a split", { card: "---\nconfigs: []\n---\n" }, /do not list split\(s\) train/],
    ["a bad split name", { splits: { "train/x": [] } }, /split name "train\/x"/],
    ["an extra file escaping the dir", { extraFiles: { "../evil.txt": "x" } }, /relative path inside the dataset dir/],
    ["an extra file over the manifest", { extraFiles: { "manifest.json": "{}" } }, /would overwrite/],
    ["a manifest field overriding a core key", { manifest: { files: [] } }, /cannot be overridden/],
  ];
  for (const [name, override, message] of configErrors) {
    it(`rejects ${name} and writes nothing`, async () => {
      const parent = join(root, `cfg-${name.replace(/\W+/g, "-")}`);
      await mkdir(parent);
      const error = await writeDatasetDir({ dir: join(parent, "out"), columns: SFT_COLUMNS, splits: { train: rows(2) }, ...override }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect(await readdir(parent)).toEqual([]);
    });
  }

  it("refuses to replace a non-empty directory it did not write", async () => {
    const dir = join(root, "precious");
    await mkdir(dir);
    await writeFile(join(dir, "notes.txt"), "keep me");
    await expect(writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows(1) } })).rejects.toThrow(/refusing to replace/);
    expect(await readFile(join(dir, "notes.txt"), "utf8")).toBe("keep me");
  });
});

describe("progress", () => {
  it("reports cumulative rows per split across row groups and shards", async () => {
    const seen: Array<{ split: string; rows: number }> = [];
    await writeDatasetDir({
      dir: join(root, "progress"),
      columns: SFT_COLUMNS,
      splits: { train: rows(30, 300), test: rows(4) },
      codec: "UNCOMPRESSED",
      rowGroupBytes: 3_000,
      maxShardBytes: 6_000,
      onProgress: (p) => seen.push(p),
    });
    const train = seen.filter((p) => p.split === "train").map((p) => p.rows);
    expect(train.length).toBeGreaterThan(3);
    expect(train).toEqual([...train].sort((a, b) => a - b));
    expect(train.at(-1)).toBe(30);
    expect(seen.at(-1)).toEqual({ split: "test", rows: 4 });
  });
});

describe("readDatasetDir", () => {
  it("streams each split's rows in order across shards", async () => {
    const dir = join(root, "read");
    const train = rows(40, 400);
    await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train, test: rows(2) }, codec: "UNCOMPRESSED", rowGroupBytes: 3_000, maxShardBytes: 6_000 });
    const opened = await readDatasetDir(dir, { verify: true });
    expect(opened.splits).toEqual(["train", "test"]);
    expect(opened.manifest.splits.train!.files.length).toBeGreaterThan(1);
    const back = await collect(opened.rows("train"));
    expect(back.map((r) => r.record)).toEqual(train);
    await expect(collect(opened.rows("nope"))).rejects.toThrow(/no split "nope"/);
  });

  it("reports a missing manifest, a missing shard and a changed shard", async () => {
    await expect(readDatasetDir(join(root, "nowhere"))).rejects.toThrow(/manifest.json: no manifest.json/);
    const dir = join(root, "tampered");
    const manifest = await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows(3) } });
    const shard = join(dir, manifest.files[0]!.path);
    const bytes = await readFile(shard);
    bytes[10] = bytes[10]! ^ 0xff;
    await writeFile(shard, bytes);
    await expect(readDatasetDir(dir, { verify: true })).rejects.toThrow(/sha256 differs/);
    await writeFile(shard, bytes.subarray(1));
    await expect(readDatasetDir(dir)).rejects.toThrow(/differs from the \d+ bytes/);
    const { rm } = await import("node:fs/promises");
    await rm(shard);
    await expect(readDatasetDir(dir)).rejects.toThrow(/listed in manifest.json but missing/);
    const manifestFile = join(dir, "manifest.json");
    const edited = JSON.parse(await readFile(manifestFile, "utf8"));
    edited.files[0].path = "../../etc/passwd";
    await writeFile(manifestFile, JSON.stringify(edited));
    await expect(readDatasetDir(dir)).rejects.toThrow(/"\.\.\/\.\.\/etc\/passwd" is not inside the dataset dir/);
  });
});

describe("dataset dirs of symbolic links", () => {
  it("lists and reads Parquet files reached through links (the Hugging Face cache's snapshot layout)", async () => {
    const { symlink } = await import("node:fs/promises");
    const { parquetFilesIn, readRecords } = await import("./read-records.js");
    const blobs = join(root, "links-blobs");
    const rows = (offset: number) =>
      [0, 1].map((i) => ({
        id: `r${offset + i}`,
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: `a${offset + i}` },
        ],
      }));
    await writeDatasetDir({ dir: blobs, columns: SFT_COLUMNS, splits: { train: rows(0), test: rows(10) } });
    const snapshot = join(root, "links-snapshot");
    await mkdir(join(snapshot, "data"), { recursive: true });
    // One data file linked on its own, the other through a linked directory.
    await symlink(join(blobs, "data", "train-00000-of-00001.parquet"), join(snapshot, "data", "train-00000-of-00001.parquet"));
    await mkdir(join(root, "links-more"), { recursive: true });
    await symlink(join(blobs, "data", "test-00000-of-00001.parquet"), join(root, "links-more", "test-00000-of-00001.parquet"));
    await symlink(join(root, "links-more"), join(snapshot, "data", "more"));
    expect((await parquetFilesIn(snapshot)).map((f) => f.slice(snapshot.length + 1))).toEqual([
      "data/more/test-00000-of-00001.parquet",
      "data/train-00000-of-00001.parquet",
    ]);
    const ids = (await collect(readRecords(snapshot, { kind: "sft" }))).map((r) => r.record.id);
    expect(ids).toEqual(["r10", "r11", "r0", "r1"]);
  });
});
