import { moodFor } from '../gate.ts';
import { assentNames } from '../understand/assent.ts';
import type { DialogueContext, Plan, Recent, Turn } from './context.ts';
import { asksForDetail, pointedRow } from './list-pick.ts';
import { hasSlotNamed, namesMember, takesMember, withoutMemberRefs } from './member-refs.ts';

/**
 * "第一名的详细数据" after the KOC ranking, "第二个的订单" after the churn list, "停掉第一个" after the recall list: the row
 * the bot just listed at that place (list-pick.ts reads the place). A member's row is shown in full (the last question
 * about them) or asked the read the router made of the words; a record's row takes only a held control the list
 * declares for its rows (IntentDef.rowControls) named by its verb — previewed for 确认, never run, and only when asked for.
 */
export function rowPick({ getIntent, mayUse, prepare }: DialogueContext) {
  return async function pickRow({ msg, memory, actor, routed, lang }: Turn, { staffLast, lastIntent }: Recent): Promise<Plan | null> {
    const row = staffLast?.items ? pointedRow(msg.text, staffLast.items.length) : null;
    if (!staffLast || !row || !lastIntent) return null;
    const item = staffLast.items![row.index]!;
    const routedDef = getIntent(routed.intent);
    if (item.memberNo && takesMember(lastIntent) && asksForDetail(row.rest) && mayUse(actor, lastIntent)) {
      const slots = Object.fromEntries(Object.entries(withoutMemberRefs(staffLast.slots)).filter(([k]) => k !== 'limit'));
      return prepare(memory, actor, lastIntent, { intent: lastIntent.name, slots: { ...slots, memberNo: item.memberNo }, confidence: 1 }, msg.text, lang);
    }
    // A write to the row ("第一名加500积分 年度KOC奖励" after the KOC ranking) points at its member as a pronoun does at the
    // member in focus: that member, through the same gates (the mood, permission, the preview of what is held).
    if (item.memberNo && routedDef && (routedDef.effect === 'read' || routedDef.effect === 'write') && takesMember(routedDef) && !namesMember(routed.slots) && mayUse(actor, routedDef)) {
      return prepare(memory, actor, routedDef, { ...routed, slots: { ...routed.slots, memberNo: item.memberNo } }, msg.text, lang);
    }
    const control = item.id !== undefined
      ? (lastIntent.rowControls ?? []).map((c) => ({ def: getIntent(c.intent), idSlot: c.idSlot })).find(({ def, idSlot }) => def?.confirm && hasSlotNamed(def, idSlot) && assentNames(row.rest, def.name))
      : undefined;
    if (control?.def && moodFor(control.def, msg.text).affirmative && mayUse(actor, control.def)) {
      return prepare(memory, actor, control.def, { intent: control.def.name, slots: { [control.idSlot]: item.id }, confidence: 1 }, msg.text, lang);
    }
    return null;
  };
}
