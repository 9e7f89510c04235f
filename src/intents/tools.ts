import { z } from 'zod';
import type { IntentDef } from './types.ts';

/** An OpenAI-style function tool, derived from an intent declaration (for the LLM router, docs/intents.md). */
export interface IntentTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** OpenAI function names allow [a-zA-Z0-9_-] only: "member.lookup" ⇄ "member__lookup". */
export const toolName = (intent: string) => intent.replace(/\./g, '__');
export const intentOfTool = (tool: string) => tool.replace(/__/g, '.');

/** The LLM's tool list for one audience: the same zod schemas validate the model's arguments. */
export function intentTools(intents: readonly IntentDef[], audience: 'staff' | 'member'): IntentTool[] {
  return intents
    .filter((i) => i.audience === audience)
    .map((i) => ({
      type: 'function' as const,
      function: { name: toolName(i.name), description: i.description, parameters: z.toJSONSchema(i.slots, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> },
    }));
}
