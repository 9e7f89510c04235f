import { parsePhrase } from '../../intents/parse/segment-phrase.ts';
import { phraseOptions } from '../../intents/segment-create.ts';
import { intentFamily } from '../../intents/types.ts';
import type { Actor, InboundMessage, RouteResult } from '../types.ts';
import type { DialogueContext } from './context.ts';
import type { LastAnswer } from './state.ts';

/**
 * A condition added to the segment just made or counted: "再加个条件 爱吃辣", "加个条件：最近30天有消费", "只要3级以上",
 * "只圈徐汇的", "仅保留女性". The condition is what follows; a phrase the segment parser does not read is left to the router.
 */
const NARROW = [
  /^(?:那|那就)?\s*(?:再|还要|另外|然后)?\s*(?:加|添加|增加|补|补充|多加)\s*(?:一?个|几个|上|一条)?\s*(?:条件|筛选条件|限制)\s*(?:吧)?\s*[:：,，]?\s*(.+)$/,
  /^(?:那|那就)?\s*(?:只|仅|就只)\s*(?:要|圈|留|保留|看|选|筛|算)(?:下|一下)?\s*(.+?)$/,
];

/** What ends the condition but is none of it: "的就行", "吧", "的人". */
const TAIL = /(?:的人|的会员|的客人|的客户|的)?(?:就行|就好|就可以|即可)?(?:吧|了|啊|哈)?[。.!！]*$/;

/** The added condition said in `text`, cut of its lead and tail words; undefined when the message narrows nothing. */
export function narrowingCondition(text: string): string | undefined {
  const said = text.normalize('NFKC').trim();
  for (const re of NARROW) {
    const m = re.exec(said);
    const cond = m?.[1]?.replace(TAIL, '').trim();
    if (cond) return cond;
  }
  return undefined;
}

/**
 * "只要3级以上" right after "建人群包 徐汇老客 标签老客", "再加个条件 最近30天有消费" after its count: the segment the
 * conversation is about, narrowed (segment.create with `about`, the earlier request naming it: a new revision of that
 * segment with both conditions). Without this the router reads the bare condition as a members count or a member's level.
 * Only right after the segment (its creation or count is the last answer), only for a condition the segment parser reads
 * whole (its tags, levels, stores, spend, visits …), only for staff.
 */
export function segmentNarrow({ services }: DialogueContext) {
  return async function narrowed(last: LastAnswer | null, routed: RouteResult, msg: InboundMessage, actor: Actor): Promise<RouteResult> {
    if (actor.kind !== 'staff' || !last || intentFamily(last.intent) !== 'segment') return routed;
    const cond = narrowingCondition(msg.text);
    if (!cond) return routed;
    const about = typeof last.slots.about === 'string' ? last.slots.about : typeof last.slots.text === 'string' ? last.slots.text : last.text;
    if (!about) return routed;
    const parsed = parsePhrase(cond, services.now(), await phraseOptions(services));
    if (!parsed.tree) return routed;
    return { intent: `${intentFamily(last.intent)}.create`, slots: { text: cond, about }, confidence: 1 };
  };
}

/** "存成人群包吧 名字叫西湖家庭客", "保存为人群包 叫辣党": the members just counted or listed, kept as a segment under a name. */
const SAVE_LAST = /^(?:那|那就|就)?\s*(?:帮我|给我)?\s*(?:把(?:这些|这批|他们|她们|它们)(?:人)?)?\s*(?:存|保存|做|弄|建)(?:成|为)\s*(?:一个|一|个)?\s*(?:人群包|人群|客群)\s*(?:吧|了)?\s*[,，]?\s*(?:名字叫做?|名字是|名称(?:是|为)|就叫|叫做?|名为)\s*[「“"'『]?([^\s「」“”"'『』,，。]{1,32}?)[」”"'』]?\s*(?:吧)?$/;

/**
 * "存成人群包吧 名字叫西湖家庭客" right after "家庭客标签的会员有几个" → "西湖店的呢": the filters of that members count or
 * list (its tag, level, home store) saved as a segment under the name said — segment.create with those conditions
 * written out, as if said in one message. Only when the last answer is such a count and its filters are all the segment
 * parser reads; otherwise the router's reading stands (it asks for the conditions).
 */
export function savedQuery(last: LastAnswer | null, routed: RouteResult, msg: InboundMessage, actor: Actor): RouteResult {
  if (actor.kind !== 'staff' || !last || last.intent !== 'members.query') return routed;
  const name = SAVE_LAST.exec(msg.text.normalize('NFKC').trim())?.[1];
  if (!name) return routed;
  const { tag, level, store } = last.slots as { tag?: unknown; level?: unknown; store?: unknown };
  const conditions = [typeof tag === 'string' ? `标签${tag}` : '', typeof level === 'number' ? `等级=${level}` : '', typeof store === 'string' ? store : ''].filter(Boolean);
  if (!conditions.length) return routed;
  return { intent: 'segment.create', slots: { text: `创建人群包 ${name}：${conditions.join(' 且 ')}` }, confidence: 1 };
}
