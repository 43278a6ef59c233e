/**
 * @module dpo/read-pairs-dataset — opens a DPO dataset dir written by `writePairsDataset` and streams its
 * pairs back (signals restored from the `<name>_chosen` / `<name>_rejected` columns).
 */
import { InputError } from "../errors.js";
import { readDatasetDir } from "../io/dataset-dir.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { pairFromRow, signalNamesFromColumns } from "./pair-columns.js";

export interface PairsDataset {
  dir: string;
  signals: string[];
  rows: number;
  manifest: Record<string, unknown>;
  pairs(): AsyncGenerator<PreferencePair>;
}

/** Opens a pairs dataset dir (split `train` unless named). */
export async function readPairsDataset({ dir, split = "train" }: { dir: string; split?: string }): Promise<PairsDataset> {
  const dataset = await readDatasetDir(dir);
  const columns = dataset.manifest.columns;
  for (const required of ["prompt", "chosen", "rejected"]) {
    if (!columns.some((c) => c.name === required)) {
      throw new InputError({ file: dir, field: required }, `not a preference dataset dir (no "${required}" column)`);
    }
  }
  const signals = signalNamesFromColumns(columns);
  return {
    dir,
    signals,
    rows: dataset.manifest.splits[split]?.rows ?? 0,
    manifest: dataset.manifest,
    async *pairs() {
      for await (const { record } of dataset.rows<Record<string, unknown>>(split)) yield pairFromRow(record, signals);
    },
  };
}
