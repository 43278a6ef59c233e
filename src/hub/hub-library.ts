/**
 * @module hub/hub-library — `@huggingface/hub`, loaded at the first Hub call rather than when the toolkit is
 * imported (it brings ~10 modules and two wasm/JIT hashers that only Hub transfers use).
 */
import type { HubApiError } from "@huggingface/hub";

type HubLibrary = typeof import("@huggingface/hub");
let library: HubLibrary | undefined;
let loading: Promise<HubLibrary> | undefined;

/** The `@huggingface/hub` module (loaded once). */
export function hubLibrary(): Promise<HubLibrary> {
  loading ??= import("@huggingface/hub").then((module) => (library = module));
  return loading;
}

/**
 * `error instanceof HubApiError`. Only a call into the library throws one, so before the library is loaded
 * nothing is.
 */
export function isHubApiError(error: unknown): error is HubApiError {
  return library !== undefined && error instanceof library.HubApiError;
}
