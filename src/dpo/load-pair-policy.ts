/**
 * @module dpo/load-pair-policy — reads a pair policy (YAML or JSON), validates it and reports the first
 * problem as `recipes/p.yaml: field rejected.strategy: … (line 7)`.
 */
import { readYamlConfig, validateConfig, type LocateField } from "../io/yaml-config.js";
import { pairPolicySchema, type PairPolicy } from "../schemas/pair-policy.js";
import { stableHash } from "../text/record-id.js";

/** A validated policy and where it came from. */
export interface LoadedPairPolicy {
  policy: PairPolicy;
  file: string;
  /** sha256 of the policy with defaults applied and keys sorted (comments don't change it). */
  hash: string;
  /** The policy text as written (copied into the dataset dir). */
  text: string;
}

/**
 * Loads and validates a pair policy file. Throws a ConfigError (exit code 2) naming file, field and line.
 *
 * @example const { policy } = await loadPairPolicy({ path: "recipes/dpo-longwriter-paper.yaml" });
 */
export async function loadPairPolicy({ path }: { path: string }): Promise<LoadedPairPolicy> {
  const { text, value, locate } = await readYamlConfig({ path, what: "pair policy" });
  const policy = validatePairPolicy({ value, file: path, locate });
  return { policy, file: path, hash: stableHash(policy), text };
}

/** Validates an already-parsed policy object; `file` names it in errors. */
export function validatePairPolicy({ value, file = "<policy>", locate }: { value: unknown; file?: string; locate?: LocateField }): PairPolicy {
  return validateConfig({
    schema: pairPolicySchema,
    value,
    file,
    what: "a pair policy is a YAML mapping (name, signals, rejected, ...)",
    locate,
    explain: (issue) =>
      issue.code === "invalid_union" && issue.path.at(-1) === "rejected"
        ? 'expected rejected.strategy to be "random-other", "worst" or "length-matched"'
        : undefined,
  });
}
