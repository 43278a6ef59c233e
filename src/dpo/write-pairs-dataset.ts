/**
 * @module dpo/write-pairs-dataset — writes preference pairs as a dataset dir (Hub layout, Parquet, TRL
 * conversational explicit-prompt columns) with the length-bias audit in `manifest.json`, in the card and
 * as SVG histograms, plus the pair policy that made the pairs. Pairs stream through; only the audit's
 * numbers are kept.
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { LONGWRITER_BIBTEX } from "../hub/citations.js";
import { writeDatasetDir, type DatasetManifest } from "../io/dataset-dir.js";
import { renderDatasetCard, summarizeLengths, type CardColumn, type CardSource } from "../hub/dataset-card.js";
import { renderHistogramSvg } from "../report/histogram-svg.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { auditPairs, auditRow, type AuditRow, type PairAudit } from "./audit-pairs.js";
import { pairColumns, pairToRow } from "./pair-columns.js";
import { markdownTable } from "../util/markdown-table.js";

export const AUDIT_LENGTH_SVG = "audit-length-difference.svg";
export const AUDIT_MARGIN_SVG = "audit-margin.svg";
export const POLICY_FILE = "pair-policy.yaml";

export interface WritePairsDatasetOptions {
  dir: string;
  pairs: AsyncIterable<PreferencePair> | Iterable<PreferencePair>;
  /** Signal names, one `<name>_chosen` / `<name>_rejected` column pair each. */
  signals: readonly string[];
  title: string;
  /** Markdown paragraph for the card. */
  description: string;
  /** The policy text, copied into the dir (omit for imported pairs). */
  policyText?: string | undefined;
  /** More manifest fields (policy, inputs); a function value is called after all pairs were written (for counts). */
  manifest?: Record<string, unknown> | undefined;
  sources?: CardSource[] | undefined;
  /** Extra markdown sections for the card; a function is called after all pairs were written. */
  sections?: (string[] | (() => string[])) | undefined;
  /** Hub licence id for the card (checked against the Hub's list); `other` needs `licenseName` and `licenseLink`. */
  license?: string | undefined;
  licenseName?: string | undefined;
  licenseLink?: string | undefined;
  /** Language codes for the card. */
  language?: string[] | undefined;
  /** Hub dataset repos the pairs came from (the card's `source_datasets`). */
  sourceDatasets?: string[] | undefined;
  /** Add LongWriter's BibTeX to the card (pairs scored with LongBench-Write's judge/S_l, or LongWriter data). */
  citeLongWriter?: boolean | undefined;
}

/**
 * Writes the dataset dir and returns its manifest and audit.
 *
 * @example const { audit } = await writePairsDataset({ dir: "out/dpo", pairs, signals: ["quality", "length"], title, description });
 */
export async function writePairsDataset(options: WritePairsDatasetOptions): Promise<{ manifest: DatasetManifest; audit: PairAudit }> {
  const rows: AuditRow[] = [];
  const { signals } = options;
  async function* tableRows(): AsyncGenerator<Record<string, unknown>> {
    for await (const pair of options.pairs as AsyncIterable<PreferencePair>) {
      rows.push(auditRow(pair));
      yield pairToRow(pair, signals);
    }
  }
  let audit: PairAudit | undefined;
  const getAudit = (): PairAudit => (audit ??= auditPairs(rows));
  const columns = pairColumns(signals);
  const manifest = await writeDatasetDir({
    dir: options.dir,
    columns,
    splits: { train: tableRows() },
    manifest: {
      kind: "dpo-pairs",
      ...Object.fromEntries(Object.entries(options.manifest ?? {}).map(([k, v]) => [k, typeof v === "function" ? lazy(v as () => unknown) : v])),
      audit: lazy(getAudit),
    },
    extraFiles: () => {
      const files: Record<string, string> = {
        [AUDIT_LENGTH_SVG]: renderHistogramSvg({
          title: "Chosen − rejected length per pair",
          values: rows.map((r) => r.chosenLength - r.rejectedLength),
          xLabel: "words (chosen − rejected)",
          bins: 30,
        }),
      };
      const margins = rows.flatMap((r) => (r.margin === null ? [] : [r.margin]));
      if (margins.length > 0) {
        files[AUDIT_MARGIN_SVG] = renderHistogramSvg({
          title: "Score margin per pair (score_chosen − score_rejected)",
          values: margins,
          xLabel: "margin (0–100 scale)",
          bins: 30,
          color: "#59a14f",
        });
      }
      if (options.policyText !== undefined) files[POLICY_FILE] = options.policyText;
      return files;
    },
    card: (summary) =>
      renderDatasetCard({
        title: options.title,
        description: options.description,
        splits: [{ name: "train", rows: summary.splits.train?.rows ?? 0 }],
        taskCategories: ["text-generation"],
        tags: ["dpo", "preference", "long-form-writing", "longwriter-toolkit"],
        ...(options.license ? { license: options.license } : {}),
        ...(options.licenseName ? { licenseName: options.licenseName } : {}),
        ...(options.licenseLink ? { licenseLink: options.licenseLink } : {}),
        ...(options.language?.length ? { language: options.language } : {}),
        ...(options.sourceDatasets?.length ? { sourceDatasets: options.sourceDatasets } : {}),
        ...(options.citeLongWriter ? { citations: [LONGWRITER_BIBTEX] } : {}),
        trainer: "dpo",
        columns: describeColumns(signals),
        ...(options.sources ? { sources: options.sources } : {}),
        lengthStats: summarizeLengths(
          rows.map((r) => r.chosenLength),
          "words (English words + CJK characters)",
          "chosen response length",
        ),
        extraSections: [
          auditSection(getAudit()),
          ...(options.policyText !== undefined ? [policySection(options.policyText)] : []),
          ...(typeof options.sections === "function" ? options.sections() : (options.sections ?? [])),
        ],
      }),
  });
  manifest.audit = getAudit();
  for (const [key, value] of Object.entries(options.manifest ?? {})) if (typeof value === "function") manifest[key] = (value as () => unknown)();
  return { manifest, audit: getAudit() };
}

/** A manifest value computed when the manifest is serialised (after all rows were seen). */
function lazy(get: () => unknown): unknown {
  return { toJSON: () => get() };
}

function describeColumns(signals: readonly string[]): CardColumn[] {
  return [
    { name: "prompt", type: "list<struct<role, content>>", description: "The conversation up to the answer (TRL explicit prompt)" },
    { name: "chosen", type: "list<struct<role, content>>", description: "The preferred assistant turn" },
    { name: "rejected", type: "list<struct<role, content>>", description: "The dispreferred assistant turn" },
    { name: "score_chosen", type: "double", description: "Combined policy score of the chosen answer (0–100)" },
    { name: "score_rejected", type: "double", description: "Combined policy score of the rejected answer (0–100)" },
    ...signals.flatMap((s) => [
      { name: `${s}_chosen`, type: "double", description: `Signal \`${s}\` of the chosen answer, normalised to 0–100` },
      { name: `${s}_rejected`, type: "double", description: `Signal \`${s}\` of the rejected answer, normalised to 0–100` },
    ]),
    { name: "chosen_length", type: "int32", description: "Words in the chosen answer (English words + CJK characters)" },
    { name: "rejected_length", type: "int32", description: "Words in the rejected answer" },
    { name: "margin", type: "double", description: "score_chosen − score_rejected" },
    { name: "reason", type: "string", description: "Why the pair was made (policy, samples, scores, margin)" },
    { name: "prompt_id", type: "string", description: "Id of the prompt the pair came from" },
    { name: "id", type: "string", description: "Stable pair id" },
    { name: "source", type: "string", description: "Where the pair came from (imported data)" },
    { name: "meta", type: "string (JSON)", description: "Other details: samples, models, required length" },
  ];
}

const f = (v: number | null | undefined, digits = 1): string => (v === null || v === undefined ? "—" : v.toFixed(digits));

/** The card's audit section (markdown). */
export function auditSection(audit: PairAudit): string {
  const lines = ["## Length-bias audit", "", `${audit.verdict.charAt(0).toUpperCase()}${audit.verdict.slice(1)}.`];
  const m = audit.margin;
  const rows = [
    ["pairs", String(audit.pairs)],
    ["chosen longer / rejected longer / same length", `${audit.chosenLonger} / ${audit.rejectedLonger} / ${audit.sameLength}`],
    ["share of pairs where chosen is longer", audit.shareChosenLonger === null ? "—" : `${(audit.shareChosenLonger * 100).toFixed(1)}%`],
    ["Cohen's d, chosen vs rejected length", f(audit.lengthCohensD, 3)],
    ["mean length chosen / rejected (words)", `${f(audit.chosenLength?.mean)} / ${f(audit.rejectedLength?.mean)}`],
    ["median length chosen / rejected (words)", `${f(audit.chosenLength?.median)} / ${f(audit.rejectedLength?.median)}`],
    m
      ? ["score margin min / p25 / median / p75 / max", `${f(m.min)} / ${f(m.p25)} / ${f(m.median)} / ${f(m.p75)} / ${f(m.max)}`]
      : ["score margin", "no scores"],
  ];
  lines.push(
    "",
    markdownTable(["measure", "value"], rows, ["left", "left"]).trimEnd(),
    "",
    `![chosen − rejected length](${AUDIT_LENGTH_SVG})`,
    "",
    ...(audit.margin ? [`![score margin](${AUDIT_MARGIN_SVG})`, ""] : []),
    "A DPO set whose chosen answers are almost always longer teaches length as much as quality; consider a length-matched policy or a length-normalised loss (TRL `sigmoid_norm`, SimPO) when the share is far above 50%. TRL's default `max_length` (1024 tokens) truncates long-writing pairs: raise it.",
  );
  return lines.join("\n");
}

/** The policy as shown in the card: its settings re-serialised, without the file's comments. */
function policySection(policyText: string): string {
  return [
    "## Pair policy",
    "",
    `The pairs were made by this policy (the file as written is \`${POLICY_FILE}\`):`,
    "",
    "```yaml",
    policySettings(policyText),
    "```",
  ].join("\n");
}

/** A policy's YAML without comments (notes to its author are not card text). */
export function policySettings(policyText: string): string {
  return stringifyYaml(parseYaml(policyText), { lineWidth: 0 }).trimEnd();
}

/** The policy as YAML text (for policies built in code rather than loaded from a file). */
export function policyToYaml(policy: unknown): string {
  return stringifyYaml(policy);
}
