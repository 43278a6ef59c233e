/** @module llm — the shared LLM layer: client, journal, errors, prices. */
export * from "./errors.js";
export * from "./prices.js";
export * from "./request-key.js";
export * from "./journal.js";
export * from "./capped-fetch.js";
export * from "./client.js";
export * from "./spend-ledger.js";
export * from "./batch-chat.js";
export * from "./batch-state.js";
export * from "./chat-wire.js";
