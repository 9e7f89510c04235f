import { llmFor } from '../../llm/client.ts';
import type { IntentDef } from '../types.ts';
import { createLlmRouter } from './llm.ts';
import { createRuleRouter } from './rules.ts';
import type { Router } from './types.ts';

/**
 * The bot's router: the rule router always; the LLM router on top of it when LLM_BASE_URL,
 * LLM_API_KEY and LLM_MODEL are set (asked only when the rules are unsure).
 */
export function createRouter(intents: readonly IntentDef[]): Router {
  return createLlmRouter({ intents, rules: createRuleRouter(intents), model: (ctx) => llmFor(ctx.services) });
}
