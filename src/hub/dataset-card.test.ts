import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CARD_BEGIN_MARKER, REPO_ID_PLACEHOLDER, renderDatasetCard, sizeCategory, summarizeLengths, type DatasetCardInfo } from "./dataset-card.js";
import { mergeDatasetCard, parseDatasetCard } from "./merge-dataset-card.js";

const info: DatasetCardInfo = {
  title: "LongWriter mix | test",
  description: "Long-output SFT rows for tests.",
  splits: [
    { name: "train", rows: 1500, bytes: 2_500_000 },
    { name: "test", rows: 20 },
  ],
  license: "apache-2.0",
  language: ["en", "zh"],
  tags: ["long-context", "synthetic"],
  columns: [{ name: "messages", type: "list<struct<role, content>>", description: "chat turns" }],
  sources: [{ repo: "THUDM/LongWriter-6k", revision: "abc123", license: "apache-2.0", rows: 1500 }],
  lengthStats: summarizeLengths([100, 2000, 5000, 12000], "words", "response length"),
  histogramFile: "length-histogram.svg",
  trainer: "sft",
};

describe("renderDatasetCard", () => {
  it("writes front matter the Hub reads: configs, size_categories, licence, tags", () => {
    const card = renderDatasetCard(info);
    const { metadata, body } = parseDatasetCard(card);
    expect(metadata.configs).toEqual([
      {
        config_name: "default",
        data_files: [
          { split: "train", path: "data/train-*" },
          { split: "test", path: "data/test-*" },
        ],
        default: true,
      },
    ]);
    expect(metadata.size_categories).toEqual(["1K<n<10K"]);
    expect(metadata.license).toBe("apache-2.0");
    expect(metadata.language).toEqual(["en", "zh"]);
    expect(metadata.task_categories).toEqual(["text-generation"]);
    expect(metadata.pretty_name).toBe("LongWriter mix | test");
    expect(body).toContain("| THUDM/LongWriter-6k | `abc123` | apache-2.0 | 1,500 |");
    expect(body).toContain("![response length histogram](length-histogram.svg)");
    expect(body).toContain(`load_dataset("${REPO_ID_PLACEHOLDER}")`);
    expect(body).toContain("SFTTrainer");
    expect(body).toContain("`messages`");
    expect(body).toContain("# LongWriter mix | test\n");
  });

  it("rejects invalid split names", () => {
    expect(() => renderDatasetCard({ ...info, splits: [{ name: "train-1", rows: 1 }] })).toThrow(/invalid split name/);
  });

  it("uses the Hub's size buckets", () => {
    expect(sizeCategory(0)).toBe("n<1K");
    expect(sizeCategory(999)).toBe("n<1K");
    expect(sizeCategory(1000)).toBe("1K<n<10K");
    expect(sizeCategory(250_000)).toBe("100K<n<1M");
    expect(sizeCategory(2e12)).toBe("n>1T");
  });

  it("summarises lengths", () => {
    const s = summarizeLengths([5, 1, 3], "words");
    expect(s).toMatchObject({ count: 3, min: 1, max: 5, median: 3, mean: 3 });
  });

  it("uses config names and custom paths, and DPO snippets", () => {
    const card = renderDatasetCard({
      ...info,
      configName: "pairs",
      trainer: "dpo",
      repoId: "me/ds",
      splits: [{ name: "train", rows: 5, path: ["pairs/train-00000-of-00001.parquet"] }],
    });
    const meta = parse(card.split("---")[1]!) as Record<string, unknown>;
    expect(meta.configs).toEqual([{ config_name: "pairs", data_files: [{ split: "train", path: ["pairs/train-00000-of-00001.parquet"] }], default: true }]);
    expect(card).toContain('load_dataset("me/ds", "pairs")');
    expect(card).toContain("DPOTrainer");
  });
});

describe("mergeDatasetCard", () => {
  const generated = renderDatasetCard(info);

  it("returns the generated card when there is none", () => {
    expect(mergeDatasetCard(undefined, generated)).toBe(generated);
    expect(mergeDatasetCard("", generated)).toBe(generated);
  });

  it("is idempotent", () => {
    expect(mergeDatasetCard(generated, generated)).toBe(generated);
    const withUser = `---\nlicense: mit\nextra_key: kept\n---\n\nMy words.\n`;
    const once = mergeDatasetCard(withUser, generated);
    expect(mergeDatasetCard(once, generated)).toBe(once);
  });

  it("keeps user metadata and body, lets our configs win", () => {
    const remote = [
      "---",
      "license: mit",
      "pretty_name: My own name",
      "tags: [mine]",
      "annotations_creators: [machine-generated]",
      "size_categories: [n<1K]",
      "configs:",
      "- config_name: default",
      "  data_files: old/*.parquet",
      "  default: true",
      "- config_name: extra",
      "  data_files: extra/*.parquet",
      "  default: true",
      "---",
      "",
      "Hand-written intro.",
      "",
    ].join("\n");
    const merged = mergeDatasetCard(remote, generated);
    const { metadata, body } = parseDatasetCard(merged);
    expect(metadata.license).toBe("mit");
    expect(metadata.pretty_name).toBe("My own name");
    expect(metadata.annotations_creators).toEqual(["machine-generated"]);
    expect(metadata.tags).toEqual(["mine", "long-context", "synthetic"]);
    expect(metadata.size_categories).toEqual(["1K<n<10K"]);
    expect(metadata.language).toEqual(["en", "zh"]);
    const configs = metadata.configs as Array<Record<string, unknown>>;
    expect(configs).toHaveLength(2);
    expect(configs[0]!.data_files).toEqual([
      { split: "train", path: "data/train-*" },
      { split: "test", path: "data/test-*" },
    ]);
    expect(configs[1]).toEqual({ config_name: "extra", data_files: "extra/*.parquet" }); // only one default
    expect(body).toContain("Hand-written intro.");
    expect(body.indexOf("Hand-written intro.")).toBeLessThan(body.indexOf(CARD_BEGIN_MARKER));
  });

  it("replaces only the generated region of an earlier card", () => {
    const old = renderDatasetCard({ ...info, splits: [{ name: "train", rows: 3 }] });
    const edited = old.replace("\n<!--", "\nUser preface.\n<!--") + "\nUser footer.\n";
    const merged = mergeDatasetCard(edited, generated);
    expect(merged).toContain("User preface.");
    expect(merged).toContain("User footer.");
    expect(merged).toContain("Total: 1,520 rows.");
    expect(merged).not.toContain("Total: 3 rows.");
  });

  it("returns the repo's text verbatim when the merge changes nothing (formatting and comments kept)", () => {
    const userStyled = generated.replace("---\n", "---\n# my comment\nannotations_creators: [machine-generated]\n");
    expect(mergeDatasetCard(userStyled, generated)).toBe(userStyled);
  });

  it("fails clearly on invalid YAML", () => {
    expect(() => mergeDatasetCard("---\nfoo: [unclosed\n---\nbody", generated)).toThrow();
  });
});
