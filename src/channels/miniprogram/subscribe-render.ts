/**
 * Renders subscribe-message data under WeChat's per-type value rules ("订阅消息参数值内容限制"),
 * so a journey never spends a member's one-time subscription on a send WeChat refuses with 47003.
 * The type is the key's prefix: `thing1`, `phrase2`, `character_string3` … Pure, no I/O.
 *
 * | type             | rule                                                                 |
 * | thing            | ≤ 20 characters (any) — longer free text is cut with "…"             |
 * | phrase           | ≤ 5 Chinese characters only                                          |
 * | name             | ≤ 10 characters if any Chinese, else ≤ 20 letters/symbols            |
 * | number           | ≤ 32 digits, may carry a decimal part                                |
 * | letter           | ≤ 32 letters                                                         |
 * | symbol           | ≤ 5 symbols                                                          |
 * | character_string | ≤ 32 digits, letters or symbols (no Chinese)                         |
 * | amount           | one currency symbol (optional) + ≤ 10 digits, decimals, may end in 元 |
 * | date             | y年m月d日 / y年m月 / m月d日 or y-m-d, y-m, m-d with - / . ; + optional time; ranges with ~ |
 * | time             | HH:MM[:SS], optionally after a date; ranges with ~                   |
 * | phone_number     | ≤ 17 digits and symbols                                              |
 * | car_number       | ≤ 8; first and last may be Chinese, the rest letters and digits       |
 * | enum             | passed through (WeChat checks it against the template's values)      |
 * Only `thing` is shortened (free text keeps its meaning when cut); every other type is checked
 * and refused, because a cut number, date or name would be a wrong message.
 */
import { chinaParts } from '../../crm/kernel/index.ts';

export type SubscribeValue = string | number | Date;

export interface RenderIssue {
  key: string;
  type: string;
  rule: string;
}

export type RenderResult =
  | { ok: true; data: Record<string, { value: string }>; truncated: string[] }
  | { ok: false; issues: RenderIssue[] };

const HAN = /\p{Script=Han}/u;
const ONLY_HAN = /^\p{Script=Han}+$/u;
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const SYMBOL_CHAR = /^[^\p{L}\p{N}\s]$/u;

const chars = (s: string) => [...s];

const pad2 = (n: number) => String(n).padStart(2, '0');


const DATE_CN = '(?:\\d{4}年\\d{1,2}月\\d{1,2}日|\\d{4}年\\d{1,2}月|\\d{1,2}月\\d{1,2}日)';
const DATE_SEP = '(?:\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{4}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2})';
const CLOCK = '(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?';
const DATE_ONE = `(?:${DATE_CN}|${DATE_SEP})(?:\\s*${CLOCK})?`;
const TIME_ONE = `(?:(?:${DATE_CN}|${DATE_SEP})\\s*)?${CLOCK}`;
const range = (one: string) => new RegExp(`^${one}(?:\\s*~\\s*${one})?$`);
const DATE_RE = range(DATE_ONE);
const TIME_RE = range(TIME_ONE);

/** Validators: undefined when the value is fine, else the rule it breaks. */
const RULES: Record<string, (v: string) => string | undefined> = {
  phrase: (v) => (ONLY_HAN.test(v) && chars(v).length <= 5 ? undefined : 'phrase: at most 5 Chinese characters, nothing else'),
  name: (v) => {
    const n = chars(v).length;
    if (HAN.test(v)) return n <= 10 ? undefined : 'name: at most 10 characters when it contains Chinese';
    return n <= 20 && /^[\p{L}\p{P}\p{S} ]+$/u.test(v) && !/\p{N}/u.test(v) ? undefined : 'name: at most 20 letters or symbols';
  },
  number: (v) => (/^-?\d+(\.\d+)?$/.test(v) && v.replace(/[-.]/g, '').length <= 32 ? undefined : 'number: at most 32 digits, optionally with decimals'),
  letter: (v) => (/^[A-Za-z]{1,32}$/.test(v) ? undefined : 'letter: at most 32 letters'),
  symbol: (v) => (chars(v).length <= 5 && chars(v).every((c) => SYMBOL_CHAR.test(c)) ? undefined : 'symbol: at most 5 symbols'),
  character_string: (v) => (/^[\x21-\x7e]{1,32}$/.test(v) ? undefined : 'character_string: at most 32 digits, letters or symbols (no Chinese, no spaces)'),
  amount: (v) => (/^[¥￥$€£]?\d{1,10}(\.\d{1,2})?元?$/.test(v) ? undefined : 'amount: a currency symbol, at most 10 digits (decimals allowed), may end in 元'),
  date: (v) => (DATE_RE.test(v) ? undefined : 'date: e.g. 2026年11月22日, 2026-11-22 or 2026-11-22 15:01; ranges with ~'),
  time: (v) => (TIME_RE.test(v) ? undefined : 'time: HH:MM or HH:MM:SS, optionally after a date; ranges with ~'),
  phone_number: (v) => (/^[\d+\-() ]{1,17}$/.test(v) ? undefined : 'phone_number: at most 17 digits and symbols'),
  car_number: (v) => {
    const c = chars(v);
    if (c.length < 2 || c.length > 8) return 'car_number: 2 to 8 characters';
    const inner = c.slice(1, -1).join('');
    const edge = (x: string) => /^[A-Za-z0-9]$/.test(x) || ONLY_HAN.test(x);
    return edge(c[0]!) && edge(c[c.length - 1]!) && /^[A-Za-z0-9]*$/.test(inner) ? undefined : 'car_number: letters and digits; the first and last may be Chinese';
  },
  enum: (v) => (v.length > 0 ? undefined : 'enum: empty'),
};

/** The data type of a template key: `thing01` → thing, `character_string3` → character_string. */
export function fieldType(key: string): string | undefined {
  const m = /^([a-z_]+?)\d+$/.exec(key);
  const type = m?.[1];
  return type && (type === 'thing' || type in RULES) ? type : undefined;
}

function toText(type: string, v: SubscribeValue): string {
  if (v instanceof Date) {
    // Dates are rendered in China time, the members' clock.
    const p = chinaParts(v);
    return type === 'time' ? `${p.year}年${p.month}月${p.day}日 ${pad2(p.hour)}:${pad2(p.minute)}` : `${p.year}年${p.month}月${p.day}日`;
  }
  if (typeof v === 'number') return type === 'amount' ? `${v.toFixed(2)}元` : String(v);
  return v;
}

/** Cuts to `max` code points, marking the cut with "…" (which counts toward the limit). */
export function cutThing(v: string, max = 20): string {
  const c = chars(v);
  return c.length <= max ? v : `${c.slice(0, max - 1).join('')}…`;
}

/** Renders `{ thing1: '…', date2: new Date() }` into subscribeMessage.send's `data`, or lists every rule broken. */
export function renderSubscribeData(fields: Record<string, SubscribeValue>): RenderResult {
  const data: Record<string, { value: string }> = {};
  const issues: RenderIssue[] = [];
  const truncated: string[] = [];
  for (const [key, raw] of Object.entries(fields)) {
    const type = fieldType(key);
    if (!type) {
      issues.push({ key, type: '?', rule: 'unknown field type (keys look like thing1, date2, amount3 …)' });
      continue;
    }
    const value = toText(type, raw).replace(CONTROL, '').trim();
    if (value === '') {
      issues.push({ key, type, rule: `${type}: empty` });
      continue;
    }
    if (type === 'thing') {
      const cut = cutThing(value);
      if (cut !== value) truncated.push(key);
      data[key] = { value: cut };
      continue;
    }
    const broken = RULES[type]!(value);
    if (broken) issues.push({ key, type, rule: broken });
    else data[key] = { value };
  }
  return issues.length ? { ok: false, issues } : { ok: true, data, truncated };
}
