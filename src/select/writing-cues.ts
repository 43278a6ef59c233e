/**
 * @module select/writing-cues — rule-based signs that an instruction asks for a written text (en/zh),
 * and signs that it wants a long one. Used by selection before (or instead of) an LLM classifier.
 */

const EN_VERB = String.raw`\b(?:write|compose|draft|create|produce|craft|generate|prepare|develop|author|pen)\b`;
const EN_GENRE = String.raw`\b(?:essay|story|stories|novel|novella|novelette|article|report|paper|thesis|dissertation|chapter|chapters|script|screenplay|play|blog(?: post)?|speech|letter|review|proposal|guide|manual|handbook|tutorial|biography|memoir|narrative|fiction|fable|saga|poem|lyrics|diary|journal entries|white ?paper|business plan|lesson plan|press release|case study|literature review|analysis|overview|summary)\b`;
const EN_LONG = String.raw`\b(?:long|lengthy|detailed|in-depth|in depth|comprehensive|thorough|extensive|exhaustive|full-length|multi-chapter|several chapters|at least \d|\d[\d,]* ?(?:words|pages)|pages? long|novel|thesis|dissertation|book)\b`;
const ZH_VERB = "(?:写|撰写|创作|编写|起草|编撰|续写|写作|生成)";
const ZH_GENRE =
  "(?:文章|小说|故事|报告|论文|作文|剧本|演讲稿|散文|章节|方案|计划书|策划|综述|评论|书评|影评|传记|日记|信|书信|稿|教程|指南|手册|说明书|文案|诗|童话|寓言|回忆录)";
const ZH_LONG = "(?:长篇|详细|详尽|深入|全面|完整|系统|万字|千字|\\d+\\s*字|字数|不少于|至少|多章|章节|小说|论文|报告)";

const WRITING = [new RegExp(`${EN_VERB}[^.?!\\n]{0,80}?${EN_GENRE}`, "i"), new RegExp(`${ZH_VERB}.{0,30}?${ZH_GENRE}`, "u")];
const LONG = [new RegExp(EN_LONG, "i"), new RegExp(ZH_LONG, "u")];

/** The matched text when the instruction asks for a written piece, else null. */
export function writingTaskCue(prompt: string): string | null {
  for (const pattern of WRITING) {
    const match = pattern.exec(prompt);
    if (match) return match[0].trim().slice(0, 60);
  }
  return null;
}

/** The matched text when the instruction signals a long answer, else null. */
export function longOutputCue(prompt: string): string | null {
  for (const pattern of LONG) {
    const match = pattern.exec(prompt);
    if (match) return match[0].trim();
  }
  return null;
}
