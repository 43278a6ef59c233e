/**
 * @module hub/content-check — checks bytes against a repo listing entry while they stream past: never
 * more bytes than the listed size (a body that keeps going is cut off at once), and at the end the
 * sha256 (LFS files) or git blob sha1 (regular files) must match. Used on download and on every copy
 * out of the cache, so unverified bytes never reach a final path.
 */
import { createHash, type Hash } from "node:crypto";
import { HubError } from "./hub-error.js";

/** What a listing says about one file. */
export interface ListedContent {
  path: string;
  size: number;
  /** git blob sha1 (of the pointer for LFS files); "" when the listing gave none. */
  oid: string;
  /** sha256 of the content, for LFS files. */
  sha256?: string;
}

export interface ContentCheck {
  /** Feeds a chunk; throws as soon as more bytes arrive than the listing announced. */
  update(chunk: Uint8Array): void;
  /** Throws unless exactly the listed bytes, with the listed hash, went through. Returns the sha256. */
  finish(): string;
}

/** Starts a check of the bytes of `file`; `what` names the source in errors ("download", "cached copy"). */
export function contentCheck(file: ListedContent, what: string): ContentCheck {
  const sha256: Hash = createHash("sha256");
  const sha1: Hash = createHash("sha1").update(`blob ${file.size}\0`);
  let bytes = 0;
  return {
    update(chunk) {
      bytes += chunk.length;
      if (bytes > file.size) {
        throw new HubError(`${file.path}: the ${what} is larger than the ${file.size} bytes the repo listing gives; stopped reading`);
      }
      sha256.update(chunk);
      sha1.update(chunk);
    },
    finish() {
      if (bytes !== file.size) throw new HubError(`${file.path}: the ${what} has ${bytes} bytes, the repo listing says ${file.size}`);
      const contentSha256 = sha256.digest("hex");
      const ok = file.sha256 ? contentSha256 === file.sha256 : file.oid === "" || sha1.digest("hex") === file.oid;
      if (!ok) throw new HubError(`${file.path}: the ${what} does not match the content hash in the repo listing`);
      return contentSha256;
    },
  };
}
