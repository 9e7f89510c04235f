import { objectWordIntent } from '../../intents/router/paired-asks.ts';
import { bare } from '../../intents/router/terse-readings.ts';
import { toSimplified } from '../../intents/router/traditional.ts';

/** Around the word that names an option: "订单那个", "要工单的", "the tickets one", "rfm吧", "就看等级". */
const LEAD = /^(?:(?:嗯+|好的?|行|ok(?:ay)?|那就|那|就|要|看|选|我要|我选|我看|先看|只看)\s*)+|^(?:(?:i\s+(?:mean|meant|want)|just|only|show|the)\s+)+/i;
const TAIL = /(?:的?那个|的?这个|那项|这项|的那项|的|吧|就行了?|就好了?|呢|先)+$|(?:\s+(?:one|option|please|pls|first))+$/i;

/**
 * The option a reply to "你是想：1 … 2 …" names by its object word instead of its number ("订单那个",
 * "the tickets one", "等级", "rfm那个"): its index among `options` (intent names, in the order
 * listed), or null when the reply names none of them or more than one.
 */
export function optionNamed(raw: string, options: readonly string[]): number | null {
  const text = toSimplified(raw.normalize('NFKC')).trim().replace(/[\s。.!！?？,，~～]+$/u, '');
  const word = bare(text.replace(LEAD, '').replace(TAIL, '').replace(LEAD, ''));
  const intent = word ? objectWordIntent(word) : undefined;
  const i = intent ? options.indexOf(intent) : -1;
  return i >= 0 && options.lastIndexOf(intent!) === i ? i : null;
}
