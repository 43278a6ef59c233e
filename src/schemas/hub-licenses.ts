/**
 * @module schemas/hub-licenses — the licence ids the Hub accepts in a card's `license:` field, and the check
 * that turns a user's `--license` (plus `license_name`/`license_link` for `other`) into valid metadata.
 */
import { ConfigError } from "../errors.js";

/**
 * Licence ids the Hub lists (hub-docs "Licenses" page; the same 75 ids `@huggingface/hub` 2.17.5 declares
 * in its internal `License` type, which it does not export). Anything else is rejected by the Hub's
 * metadata validation, so we reject it before publishing.
 */
export const HUB_LICENSES = [
  "apache-2.0",
  "mit",
  "openrail",
  "bigscience-openrail-m",
  "creativeml-openrail-m",
  "bigscience-bloom-rail-1.0",
  "bigcode-openrail-m",
  "afl-3.0",
  "artistic-2.0",
  "bsl-1.0",
  "bsd",
  "bsd-2-clause",
  "bsd-3-clause",
  "bsd-3-clause-clear",
  "c-uda",
  "cc",
  "cc0-1.0",
  "cc-by-2.0",
  "cc-by-2.5",
  "cc-by-3.0",
  "cc-by-4.0",
  "cc-by-sa-3.0",
  "cc-by-sa-4.0",
  "cc-by-nc-2.0",
  "cc-by-nc-3.0",
  "cc-by-nc-4.0",
  "cc-by-nd-4.0",
  "cc-by-nc-nd-3.0",
  "cc-by-nc-nd-4.0",
  "cc-by-nc-sa-2.0",
  "cc-by-nc-sa-3.0",
  "cc-by-nc-sa-4.0",
  "cdla-sharing-1.0",
  "cdla-permissive-1.0",
  "cdla-permissive-2.0",
  "wtfpl",
  "ecl-2.0",
  "epl-1.0",
  "epl-2.0",
  "etalab-2.0",
  "eupl-1.1",
  "agpl-3.0",
  "gfdl",
  "gpl",
  "gpl-2.0",
  "gpl-3.0",
  "lgpl",
  "lgpl-2.1",
  "lgpl-3.0",
  "isc",
  "lppl-1.3c",
  "ms-pl",
  "mpl-2.0",
  "odc-by",
  "odbl",
  "openrail++",
  "osl-3.0",
  "postgresql",
  "ofl-1.1",
  "ncsa",
  "unlicense",
  "zlib",
  "pddl",
  "lgpl-lr",
  "deepfloyd-if-license",
  "llama2",
  "llama3",
  "llama3.1",
  "llama3.2",
  "llama3.3",
  "gemma",
  "apple-ascl",
  "apple-amlr",
  "unknown",
  "other",
] as const;

export type HubLicense = (typeof HUB_LICENSES)[number];

const KNOWN: ReadonlySet<string> = new Set(HUB_LICENSES);

/** What a card says about its licence. */
export interface LicenseInfo {
  license?: string | undefined;
  /** Short id of a licence the Hub does not list (required with `other`), e.g. `my-research-licence`. */
  licenseName?: string | undefined;
  /** URL or repo-relative path of that licence's text (required with `other`), e.g. `LICENSE.md`. */
  licenseLink?: string | undefined;
}

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length]!;
}

/**
 * Checks a licence against the Hub's list and returns the card's front-matter keys (`license`,
 * `license_name`, `license_link`). `other` needs a name and a link; a name or link without `other` is
 * an error (the Hub ignores them). Throws a ConfigError naming `field`.
 *
 * @example licenseMetadata({ license: "other", licenseName: "research-only", licenseLink: "LICENSE.md" })
 */
export function licenseMetadata(info: LicenseInfo, field = "license"): Record<string, string> {
  const { license, licenseName, licenseLink } = info;
  if (license === undefined) {
    if (licenseName !== undefined || licenseLink !== undefined) {
      throw new ConfigError(`a licence name or link needs license: other`, { field });
    }
    return {};
  }
  const id = license.trim().toLowerCase();
  if (!KNOWN.has(id)) {
    const near = [...KNOWN].map((k) => [k, distance(id, k)] as const).sort((a, b) => a[1] - b[1])[0]!;
    const hint = near[1] <= 3 ? ` (did you mean "${near[0]}"?)` : "";
    throw new ConfigError(
      `licence "${license}" is not one of the Hub's licence ids${hint}; use an id from https://huggingface.co/docs/hub/repositories-licenses, or "other" with a licence name and link`,
      { field },
    );
  }
  if (id !== "other") {
    if (licenseName !== undefined || licenseLink !== undefined) {
      throw new ConfigError(`a licence name and link only go with license: other (got "${id}")`, { field });
    }
    return { license: id };
  }
  if (!licenseName || !/^[a-z0-9][a-z0-9._-]*$/.test(licenseName)) {
    throw new ConfigError(`license: other needs a licence name (lower-case letters, digits, ".", "_", "-"), got ${JSON.stringify(licenseName ?? "")}`, {
      field: `${field}_name`,
    });
  }
  if (!licenseLink || !(/^https?:\/\/\S+$/.test(licenseLink) || /^[\w./-]+$/.test(licenseLink)) || licenseLink.includes("..")) {
    throw new ConfigError(
      `license: other needs a licence link (an http(s) URL or a path inside the repo, e.g. LICENSE.md), got ${JSON.stringify(licenseLink ?? "")}`,
      {
        field: `${field}_link`,
      },
    );
  }
  return { license: "other", license_name: licenseName, license_link: licenseLink };
}
