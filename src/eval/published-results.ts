/**
 * @module eval/published-results — LongBench-Write numbers reported in the LongWriter paper (Table 3) for
 * reference models, with where each number comes from. These are published, not measured by this
 * toolkit; several are recalled from the paper and unverified (provenance "recall").
 */

/** How a published number is known (LONGWRITER.md §0). */
export type Provenance = "paper" | "recall";

export interface PublishedResult {
  model: string;
  /** S, S_l, S_q as published (0–100). */
  overall: number;
  lengthScore: number;
  qualityScore: number;
  /** Provenance of each number. */
  provenance: { overall: Provenance; lengthScore: Provenance; qualityScore: Provenance };
  /** Where it was read. */
  source: string;
}

/** The note shown beside the published rows. */
export const PUBLISHED_NOTE =
  "Published, not measured: LongWriter paper (arXiv 2408.07055) Table 3, LongBench-Write, judge GPT-4o. " +
  "Numbers marked * are recalled from the paper and unverified (the full paper text was not available when " +
  "they were collected); re-check them against the PDF before quoting.";

const P = "paper" as const;
const R = "recall" as const;

/** Reference rows (LONGWRITER.md §11). */
export const PUBLISHED_RESULTS: readonly PublishedResult[] = [
  {
    model: "LongWriter-9B-DPO",
    overall: 84.0,
    lengthScore: 82.6,
    qualityScore: 85.4,
    provenance: { overall: P, lengthScore: R, qualityScore: R },
    source: "S: ModelScope and GLoBo notes; S_l/S_q recalled",
  },
  {
    model: "LongWriter-9B",
    overall: 80.5,
    lengthScore: 78.6,
    qualityScore: 82.3,
    provenance: { overall: P, lengthScore: P, qualityScore: P },
    source: "ModelScope table",
  },
  {
    model: "LongWriter-8B",
    overall: 79.8,
    lengthScore: 77.4,
    qualityScore: 82.2,
    provenance: { overall: R, lengthScore: R, qualityScore: R },
    source: "recalled",
  },
  {
    model: "Claude 3.5 Sonnet",
    overall: 80.7,
    lengthScore: 73.7,
    qualityScore: 87.7,
    provenance: { overall: P, lengthScore: R, qualityScore: R },
    source: "S: GLoBo note; rest recalled",
  },
  { model: "GPT-4o", overall: 78.6, lengthScore: 65.3, qualityScore: 91.8, provenance: { overall: R, lengthScore: R, qualityScore: R }, source: "recalled" },
  {
    model: "Mistral-Large-Instruct",
    overall: 77.0,
    lengthScore: 65.6,
    qualityScore: 88.3,
    provenance: { overall: R, lengthScore: R, qualityScore: R },
    source: "recalled",
  },
  {
    model: "GLM-4-9B-chat",
    overall: 68.3,
    lengthScore: 51.2,
    qualityScore: 85.4,
    provenance: { overall: P, lengthScore: R, qualityScore: R },
    source: "S: ModelScope (68.3→80.5); rest recalled",
  },
  {
    model: "Llama-3.1-70B-Instruct",
    overall: 65.6,
    lengthScore: 50.8,
    qualityScore: 80.3,
    provenance: { overall: R, lengthScore: R, qualityScore: R },
    source: "recalled",
  },
  {
    model: "Llama-3.1-8B-Instruct",
    overall: 60.3,
    lengthScore: 50.0,
    qualityScore: 70.6,
    provenance: { overall: R, lengthScore: R, qualityScore: R },
    source: "recalled",
  },
];

/** A published number formatted for a table: one decimal, with "*" when it is recalled. */
export function formatPublished(value: number, provenance: Provenance): string {
  return `${value.toFixed(1)}${provenance === "recall" ? "*" : ""}`;
}
