import { splitRequest } from '../../intents/segment-create.ts';
import { intentFamily, type IntentDef } from '../../intents/types.ts';
import type { RouteResult } from '../types.ts';
import { hasSlotNamed } from './member-refs.ts';
import type { LastAnswer } from './state.ts';

/**
 * "导个表", "export xlsx", "导出来吧 市场部要", "这个包现在几个人" right after an answer about one segment (its count, or
 * its creation — remember.ts saves a made segment as its count): the segment the conversation is about, as the member in
 * focus is for "她的订单". The request carries the earlier request's words (`about`); the intent reads them only when its
 * own words name no segment (segmentFromText), so "导出人群包 五月寿星" after another segment's count still exports
 * 五月寿星. An export stays a preview held for 确认 that names the segment (segment-export.ts confirm).
 */
export function segmentInFocus(last: LastAnswer | null, intent: IntentDef, route: RouteResult): RouteResult {
  // A new segment is about none made before (a narrowing sets `about` itself: segment-narrow.ts).
  if (!last || route.slots.about !== undefined || !hasSlotNamed(intent, 'about') || intent.name.endsWith('.create')) return route;
  if (intentFamily(last.intent) !== intentFamily(intent.name)) return route;
  const about = typeof last.slots.about === 'string' ? last.slots.about : typeof last.slots.text === 'string' ? last.slots.text : last.text;
  return about ? { ...route, slots: { ...route.slots, about } } : route;
}

/**
 * "辣党有多少人" right after 辣党 was made: the segment just made, asked by its own name — the router, knowing no segment
 * names, reads an ad-hoc count of members (members.query); the count of that segment is meant. Only while the made
 * segment is the last answer (remember.ts saves it as its family's count) and only for its whole name.
 */
export function segmentNamedAgain(last: LastAnswer | null, route: RouteResult, text: string): RouteResult {
  if (!last || intentFamily(last.intent) !== 'segment' || route.intent !== 'members.query') return route;
  const made = typeof last.slots.text === 'string' ? splitRequest(last.slots.text).name : undefined;
  if (!made || [...made].length < 2 || !text.includes(made)) return route;
  return { ...route, intent: last.intent, slots: { text } };
}
