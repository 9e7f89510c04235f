import { memberTagNames, tagDictionary } from '../../crm/engagement/index.ts';
import { findDictionaryTags } from '../../intents/router/extract.ts';
import { findLevel, findStore, storeDirectory } from '../../intents/router/stores.ts';
import { toSimplified } from '../../intents/router/traditional.ts';
import type { Services } from '../../services.ts';
import type { Answer } from './answers.ts';
import type { Candidate } from './state.ts';

/**
 * "VIP那个", "有高价值标签的那位", "L5那个", "5级的": a member of the list the bot showed, picked by what staff know
 * of them — a tag they hold or their level — rather than by what the list shows. Only when exactly one of them
 * has it (a trait two share picks neither, and the question stays unanswered).
 */
const AROUND = /^(?:就是|是|要|选|那个|那位)?\s*(?:有|带|带着|打了|是)?\s*|\s*(?:标签)?\s*(?:的)?\s*(?:那个|那位|这个|这位|那一个|那一位)?\s*(?:会员|客户|人)?\s*(?:吧|呢|啊)?$/gu;

export async function pickByTrait(services: Services, raw: string, candidates: readonly Candidate[]): Promise<Answer | null> {
  const said = toSimplified(raw.normalize('NFKC')).trim().replace(/[\s。.!！?？]+$/u, '');
  // Pointing words are required around a bare trait ("VIP那个", "L5的"): "VIP" alone is a question of its own.
  if (!/(?:那个|那位|这个|这位|的)(?:会员|客户|人)?(?:吧|呢|啊)?$/u.test(said) || said.length > 20) return null;
  const core = said.replace(AROUND, '').trim();
  if (!core) return null;
  // "高价值那位 VIP的", "VIP 又是高价值的": two traits said together must both be theirs.
  const parts = core.split(/(?:的)?(?:那个|那位|这个|这位)?(?:[\s、,，]+|和|且|又是)/u).map((p) => p.trim()).filter(Boolean);
  if (parts.length > 3) return null;
  let left: readonly Candidate[] = candidates;
  for (const part of parts) {
    const having = await withTrait(services, part, left);
    if (!having) return null;
    left = having;
  }
  return only([...left]);
}

/** The candidates holding the trait that is the whole of `core` (a level or a dictionary tag); null when it is no trait. */
async function withTrait(services: Services, core: string, candidates: readonly Candidate[]): Promise<Candidate[] | null> {
  const level = findLevel(core);
  if (level && level.span.start === 0 && level.span.end === core.length) return candidates.filter((c) => c.level === level.value);
  const tag = findDictionaryTags(core, (await tagDictionary(services)).map((t) => t.name))[0];
  if (!tag || tag.span.start !== 0 || tag.span.end !== core.length) return null;
  const ids = candidates.flatMap((c) => (c.id === undefined ? [] : [c.id]));
  if (ids.length !== candidates.length) return null;
  const tags = await memberTagNames(services.sql, ids);
  return candidates.filter((c) => tags.get(c.id!)?.includes(tag.value));
}

const only = (found: Candidate[]): Answer | null => (found.length === 1 ? { slots: { memberNo: found[0]!.memberNo }, bare: true } : null);

/** What is left of "徐汇那个VIP" once its store is taken out: the pointing words between or around the traits. */
const POINTING = /^[\s的店]*(?:那个|那位|这个|这位|那一个|那一位)?[\s的]*|[\s的]*(?:那个|那位|这个|这位|那一个|那一位)?[\s的]*(?:会员|客户|人)?[\s]*(?:吧|呢|啊)?$/gu;

/**
 * "徐汇那个VIP", "一店的L5那位", "VIP 静安那个": a member of the list picked by two things staff know of them — their home
 * store and a tag or level — when neither alone picks one. The store narrows the list; the trait must then pick exactly one.
 */
export async function pickByStoreAndTrait(services: Services, raw: string, candidates: readonly Candidate[]): Promise<Answer | null> {
  const said = toSimplified(raw.normalize('NFKC')).trim().replace(/[\s。.!！?？]+$/u, '');
  if (said.length > 24) return null;
  const store = findStore(said, await storeDirectory(services));
  if (!store) return null;
  const rest = `${said.slice(0, store.span.start)} ${said.slice(store.span.end)}`.replace(POINTING, '').trim();
  const there = candidates.filter((c) => c.store === store.value);
  if (!rest || there.length === 0) return null;
  return pickByTrait(services, `${rest}那个`, there);
}
