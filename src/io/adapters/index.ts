/** @module io/adapters — format adapters (messages, sharegpt, alpaca, preference formats), detection, convert. */
export * from "./format.js";
export {
  checkTurnOrder,
  COMPLETION_ORDER,
  MESSAGE_SYNTAX,
  PROMPT_ORDER,
  readContent,
  readTurns,
  SFT_ORDER,
  SHAREGPT_SYNTAX,
  type RoleMapping,
  type TurnOrder,
  type TurnSyntax,
} from "./turns.js";
export { messagesAdapter } from "./messages.js";
export { sharegptAdapter, readShareGptTurns, toShareGptTurns } from "./sharegpt.js";
export { alpacaAdapter } from "./alpaca.js";
export { sharegptPreferenceAdapter } from "./sharegpt-preference.js";
export { trlAdapter } from "./trl.js";
export { ultrafeedbackAdapter } from "./ultrafeedback.js";
export * from "./detect-format.js";
export * from "./convert-file.js";
