/** Builds dataset dirs for Hub tests with the real writer (writeDatasetDir) and our card. */
import { createHash } from "node:crypto";
import { writeDatasetDir, type DataFormat, type DatasetManifest } from "../../src/io/dataset-dir.js";
import { SFT_COLUMNS } from "../../src/io/column-spec.js";
import { renderDatasetCard } from "../../src/hub/dataset-card.js";

/** Deterministic pseudo-random text that compresses poorly (so file size ≈ text size). */
export function noiseText(seed: string, bytes: number): string {
  const parts: string[] = [];
  let block = createHash("sha256").update(seed).digest();
  let size = 0;
  while (size < bytes) {
    block = createHash("sha256").update(block).digest();
    const chunk = block.toString("base64");
    parts.push(chunk);
    size += chunk.length;
  }
  return parts.join("").slice(0, bytes);
}

export interface SplitSpec {
  rows: number;
  /** Bytes of assistant text per row. */
  rowBytes: number;
  /** Changes the content. */
  seed?: string;
}

/** Writes a dataset dir with SFT columns; returns its manifest. */
export async function buildDatasetDir(options: {
  dir: string;
  splits: Record<string, SplitSpec>;
  maxShardBytes?: number;
  rowGroupBytes?: number;
  title?: string;
  /** Data files: Parquet shards (default) or one JSON Lines / JSON file per split. */
  dataFormat?: DataFormat;
}): Promise<DatasetManifest> {
  const splits = Object.entries(options.splits).map(([name, spec]) => ({
    name,
    rows: (function* () {
      for (let i = 0; i < spec.rows; i++) {
        yield {
          id: `${name}-${i}`,
          messages: [
            { role: "user", content: `Write ${spec.rowBytes} characters (${name} ${i}).` },
            { role: "assistant", content: noiseText(`${spec.seed ?? "s"}:${name}:${i}`, spec.rowBytes) },
          ],
          source: "test",
          meta: null,
        };
      }
    })(),
  }));
  return writeDatasetDir({
    dir: options.dir,
    columns: SFT_COLUMNS,
    splits,
    maxShardBytes: options.maxShardBytes,
    rowGroupBytes: options.rowGroupBytes,
    ...(options.dataFormat ? { dataFormat: options.dataFormat } : {}),
    extraFiles: { "length-histogram.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n" },
    card: (manifest) =>
      renderDatasetCard({
        title: options.title ?? "Hub test dataset",
        description: "Rows for the Hub tests.",
        splits: Object.entries(manifest.splits).map(([name, s]) => ({ name, rows: s.rows })),
        license: "apache-2.0",
        language: ["en"],
        tags: ["test"],
        histogramFile: "length-histogram.svg",
      }),
  });
}
