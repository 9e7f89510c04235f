import { churnList } from './churn-list.ts';
import { createHelpIntent } from './help.ts';
import { memberLookup } from './member-lookup.ts';
import { memberSummary } from './member-summary.ts';
import { tagAdd } from './tag-add.ts';
import { tagRemove } from './tag-remove.ts';
import type { IntentDef } from './types.ts';

/**
 * Every intent, declared once; the rule router, the help text (and the LLM tool list) are
 * derived from this list. Adding an intent is adding its file and one line here.
 */
export const intents: readonly IntentDef[] = [
  createHelpIntent(() => intents),
  memberLookup,
  memberSummary,
  tagAdd,
  tagRemove,
  churnList,
];

const byName = new Map(intents.map((i) => [i.name, i]));

export function getIntent(name: string): IntentDef | undefined {
  return byName.get(name);
}
