import { llmFor } from '../../llm/client.ts';
import type { IntentDef } from '../types.ts';
import { createCombinedRouter } from './combined.ts';
import { createLlmRouter } from './llm.ts';
import type { Router } from './types.ts';

export { createRuleRouter } from './rules.ts';
export { createCombinedRouter } from './combined.ts';

/**
 * The bot's router: the combined router (rules + the shipped intent classifier, one calibrated
 * confidence) always; the LLM router on top of it when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL
 * are set: asked when the combined reading is unsure or its runner-up is close, or for every
 * message with LLM_ROUTING=first (src/intents/router/llm.ts).
 */
export function createRouter(intents: readonly IntentDef[]): Router {
  return createLlmRouter({ intents, rules: createCombinedRouter(intents), model: (ctx) => llmFor(ctx.services) });
}
