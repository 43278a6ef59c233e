/** scanDatasetDir: the checks publish runs before any request, on dirs written by writeDatasetDir. */
import { cp, mkdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeDatasetDir } from "../src/io/dataset-dir.js";
import { scanDatasetDir } from "../src/hub/scan-dataset-dir.js";
import { buildDatasetDir } from "./helpers/hub-dataset.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-hub-preflight-");
const good = join(tmp, "good");

beforeAll(async () => {
  await buildDatasetDir({ dir: good, splits: { train: { rows: 3, rowBytes: 500 }, test: { rows: 2, rowBytes: 500 } } });
});

async function variant(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(tmp, name);
  await cp(good, dir, { recursive: true });
  await edit(dir);
  return dir;
}

async function editCard(dir: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(dir, "README.md");
  await writeFile(path, (await readFile(path, "utf8")).replace(from, to));
}

describe("scanDatasetDir", () => {
  it("accepts a dir from writeDatasetDir and hashes every file", async () => {
    const scan = await scanDatasetDir({ dir: good });
    expect(scan.files.map((f) => f.path)).toEqual([
      "README.md",
      "data/test-00000-of-00001.parquet",
      "data/train-00000-of-00001.parquet",
      "length-histogram.svg",
      "manifest.json",
    ]);
    expect(scan.configs).toEqual([
      {
        name: "default",
        splits: [
          { split: "train", files: ["data/train-00000-of-00001.parquet"] },
          { split: "test", files: ["data/test-00000-of-00001.parquet"] },
        ],
      },
    ]);
    expect(scan.dataDirs).toEqual(["data"]);
    expect(scan.warnings).toEqual([]);
  });

  it("follows a symlink to a file and says so; skips a symlink to a folder or to nothing, with a warning", async () => {
    const outside = join(tmp, "outside");
    await mkdir(join(outside, "folder"), { recursive: true });
    const linked = await variant("links", async (d) => {
      // The test shard lives outside the dir; the dir holds a link to it.
      await rename(join(d, "data/test-00000-of-00001.parquet"), join(outside, "test.parquet"));
      await symlink(join(outside, "test.parquet"), join(d, "data/test-00000-of-00001.parquet"));
      await symlink(join(outside, "folder"), join(d, "extra"));
      await symlink(join(outside, "missing.txt"), join(d, "notes.txt"));
    });
    const scan = await scanDatasetDir({ dir: linked });
    expect(scan.files.map((f) => f.path)).toContain("data/test-00000-of-00001.parquet");
    expect(scan.files.map((f) => f.path)).not.toContain("notes.txt");
    const original = (await scanDatasetDir({ dir: good })).files.find((f) => f.path === "data/test-00000-of-00001.parquet")!;
    expect(scan.files.find((f) => f.path === "data/test-00000-of-00001.parquet")!.sha256).toBe(original.sha256);
    expect(scan.warnings).toEqual([
      expect.stringMatching(/^data\/test-00000-of-00001\.parquet is a symlink; uploading the file it points to \(.*test\.parquet\)$/),
      expect.stringMatching(/^extra is a symlink to a folder; skipped/),
      expect.stringMatching(/^notes\.txt is a symlink to nothing \(broken\); skipped/),
    ]);
  });

  it("rejects bad split and config names, globs matching nothing, a missing configs list, invalid YAML", async () => {
    const split = await variant("split", (d) => editCard(d, "split: test", "split: my-test"));
    await expect(scanDatasetDir({ dir: split })).rejects.toThrow(/README\.md: field configs\.0\.data_files: invalid split name "my-test"/);
    const config = await variant("config", (d) => editCard(d, "config_name: default", "config_name: data"));
    await expect(scanDatasetDir({ dir: config })).rejects.toThrow(/invalid config name "data"/);
    const glob = await variant("glob", (d) => editCard(d, "path: data/test-*", "path: data/valid-*"));
    await expect(scanDatasetDir({ dir: glob })).rejects.toThrow(/split "test": \["data\/valid-\*"\] matches no file/);
    const noConfigs = await variant("noconfigs", (d) => writeFile(join(d, "README.md"), "# just a title\n"));
    await expect(scanDatasetDir({ dir: noConfigs })).rejects.toThrow(/no configs: list/);
    const yaml = await variant("yaml", (d) => editCard(d, "license: apache-2.0", "license: [oops"));
    await expect(scanDatasetDir({ dir: yaml })).rejects.toThrow(/front matter: invalid YAML/);
  });

  it("rejects splits with different features, naming both files", async () => {
    const other = join(tmp, "other-columns");
    await writeDatasetDir({
      dir: other,
      columns: [
        { name: "id", type: "string" },
        { name: "score", type: "double" },
      ],
      splits: { test: [{ id: "a", score: 1 }] },
    });
    const mixed = await variant("mixed", (d) => cp(join(other, "data/test-00000-of-00001.parquet"), join(d, "data/test-00000-of-00001.parquet")));
    // The manifest hash would catch the swap first; drop it to reach the schema check.
    await writeFile(join(mixed, "manifest.json"), "{}");
    await expect(scanDatasetDir({ dir: mixed })).rejects.toThrow(
      /test-00000-of-00001\.parquet: field schema: features differ from data\/train-00000-of-00001\.parquet \(split "train"\)/,
    );
  });

  it("enforces the row-group limit and the manifest hashes, and refuses files holding the token", async () => {
    await expect(scanDatasetDir({ dir: good, maxRowGroupBytes: 100 })).rejects.toThrow(/row group 0: .* over the dataset viewer's/);
    const tampered = await variant("tampered", (d) => cp(join(good, "data/train-00000-of-00001.parquet"), join(d, "data/test-00000-of-00001.parquet")));
    await expect(scanDatasetDir({ dir: tampered })).rejects.toThrow(/sha256 differs from manifest\.json/);
    const leaky = await variant("leaky", (d) => editCard(d, "# Hub test dataset", "# Hub test dataset hf_leakedTokenValue1"));
    await expect(scanDatasetDir({ dir: leaky, secrets: ["hf_leakedTokenValue1"] })).rejects.toThrow(/contains the Hub token/);
  });

  it("warns about very large cells", async () => {
    const big = join(tmp, "big-cells");
    await buildDatasetDir({ dir: big, splits: { train: { rows: 2, rowBytes: 1_200_000 } } });
    const scan = await scanDatasetDir({ dir: big });
    expect(scan.warnings.join("\n")).toMatch(/per row on average; the viewer truncates very large cells/);
  });
});
