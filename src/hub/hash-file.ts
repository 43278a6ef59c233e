/**
 * @module hub/hash-file — the two hashes the Hub compares files by: sha256 of the content (LFS oid)
 * and the git blob sha1 (`"blob <len>\0" + bytes`, the tree `oid` of regular files).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

export interface FileHashes {
  size: number;
  sha256: string;
  /** git blob sha1 of the content. */
  gitSha1: string;
}

/** git blob sha1 of `bytes`. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** git blob sha1 of the LFS pointer file git would store for content with this sha256 and size. */
export function lfsPointerSha1(sha256: string, size: number): string {
  return gitBlobSha1(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`));
}

/** Hashes a file in one streaming pass. */
export async function hashFile(path: string): Promise<FileHashes> {
  const { size } = await stat(path);
  const sha256 = createHash("sha256");
  const sha1 = createHash("sha1").update(`blob ${size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    sha256.update(chunk as Buffer);
    sha1.update(chunk as Buffer);
  }
  return { size, sha256: sha256.digest("hex"), gitSha1: sha1.digest("hex") };
}
