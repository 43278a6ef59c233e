/**
 * @module cli/item-progress — progress for item-by-item commands on stderr: a cli-progress bar on a TTY,
 * otherwise a plain line at every 10% and at the end (so logs stay readable).
 */
import type { SingleBar } from "cli-progress";
import { cliProgress } from "./cli-progress.js";

export interface ItemProgress {
  /** Reports `done` items; `fields` are shown beside the count (e.g. { replayed: 3, failed: 0 }). */
  update(done: number, fields?: Record<string, number>): void;
  stop(): void;
}

/**
 * @example const progress = itemProgress({ label: "sample", total: 20 }); progress.update(5, { failed: 0 }); progress.stop();
 */
export function itemProgress({ label, total, quiet = false }: { label: string; total: number; quiet?: boolean }): ItemProgress {
  if (quiet) return { update() {}, stop() {} };
  const fieldsText = (fields: Record<string, number>): string =>
    Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  if (process.stderr.isTTY === true && total > 0) {
    const { SingleBar, Presets } = cliProgress();
    let bar: SingleBar | undefined = new SingleBar(
      { format: `${label} [{bar}] {value}/{total} {extra} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0, { extra: "" });
    return {
      update(done, fields = {}) {
        bar?.update(done, { extra: fieldsText(fields) });
      },
      stop() {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let lastTenth = -1;
  let last: { done: number; fields: Record<string, number> } | undefined;
  return {
    update(done, fields = {}) {
      last = { done, fields };
      const tenth = total > 0 ? Math.floor((done / total) * 10) : -1;
      if (tenth > lastTenth && tenth < 10) {
        lastTenth = tenth;
        const extra = fieldsText(fields);
        process.stderr.write(`${label}: ${done}/${total}${extra ? ` (${extra})` : ""}\n`);
      }
    },
    stop() {
      if (last) {
        const extra = fieldsText(last.fields);
        process.stderr.write(`${label}: ${last.done}/${total} done${extra ? ` (${extra})` : ""}\n`);
      }
      last = undefined;
    },
  };
}

/** Non-blank lines of a JSONL file (the progress total); 0 when it cannot be read (the run reports that). */
export async function countJsonlLines(file: string): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  try {
    const text = await readFile(file, "utf8");
    let n = 0;
    for (const line of text.split("\n")) if (line.trim() !== "") n++;
    return n;
  } catch {
    return 0;
  }
}
