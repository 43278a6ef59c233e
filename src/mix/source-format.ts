/** @module mix/source-format — a recipe source's `format`: "auto" or a known SFT format name (aliases accepted). */
import { ConfigError } from "../errors.js";
import { assertFormatKind } from "../io/adapters/detect-format.js";
import { parseFormatName, type SftFormat } from "../io/adapters/format.js";
import type { MixSource } from "../schemas/mix-recipe.js";

/** The source's format: "auto" or a known SFT format name (aliases accepted), else a ConfigError naming the field. */
export function sourceFormat(spec: MixSource, index: number, file: string): SftFormat | "auto" {
  if (spec.format === undefined || spec.format.trim().toLowerCase() === "auto") return "auto";
  try {
    const format = parseFormatName(spec.format);
    assertFormatKind(format, "sft");
    return format as SftFormat;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(reason, { file, field: `sources.${index}.format`, cause: error });
  }
}
