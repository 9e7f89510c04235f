import type { RouteResult } from '../types.ts';

/**
 * "open one, she says…", "this one's points?": English "one" stands for the ticket or the member spoken of, never for a
 * member called One. A name slot that is only that pronoun is dropped, so the member in focus (or the question which
 * member) takes its place through the usual gates — nothing is looked up or written for a member named "one".
 */
const PRONOUN_ONE = /^(?:(?:this|that|the|another|a|new)\s+)?ones?$/i;

export function withoutPronounName(route: RouteResult): RouteResult {
  const name = route.slots.name;
  if (typeof name !== 'string' || !PRONOUN_ONE.test(name.trim())) return route;
  const { name: _dropped, ...slots } = route.slots;
  return { ...route, slots };
}
