import { describe, expect, it } from 'vitest';
import { getIntent, intents } from '../../intents/catalogue.ts';
import { hasSlotNamed } from './member-refs.ts';

// A list's rows name their controls in the catalogue (IntentDef.rowControls): each one declared must be a held
// control that takes the row's number, or "停掉第二个" after a list would find nothing to preview.
describe('row controls declared by lists', () => {
  const declared = intents.flatMap((list) => (list.rowControls ?? []).map((c) => ({ list, ...c })));

  it('are declared by some list (the recall list stops a recall by its row)', () => {
    expect(declared.map((d) => `${d.list.name} → ${d.intent}`)).toContain('recall.list → recall.stop');
  });

  it.each(declared.map((d) => [d.list.name, d.intent, d.idSlot] as const))('%s → %s takes the row in %s and holds for 确认', (list, control, idSlot) => {
    expect(getIntent(list)?.effect).toBe('read');
    const def = getIntent(control);
    expect(def).toBeDefined();
    expect(def!.confirm).toBeTypeOf('function');
    expect(hasSlotNamed(def!, idSlot)).toBe(true);
  });
});
