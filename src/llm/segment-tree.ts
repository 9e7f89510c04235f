import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { humanMessage, systemMessage } from './langchain.ts';
import type { ChatOpenAI } from '@langchain/openai';
import { FIELDS, METRICS, OPS, parseSegmentTree, type SegmentTree } from '../crm/insights/index.ts';
import { EVENT_TYPES } from '../crm/engagement/index.ts';
import { formatDate, isAppError } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { meteredCaller, withBudget } from './client.ts';
import { knownNamesIn } from './names.ts';
import { Pseudonyms } from './pseudonymize.ts';

export const SEGMENT_TOOL = 'segment_tree';

const valueSchema = {
  anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'string' }] } }],
  description:
    'a number, a string ("500.00" for money, "2026-05-01" for dates, "-30d" for 30 days before today on registered_at with gt/gte/lt/lte/between), or an array for in / between',
};

/**
 * The tool's parameters: the condition tree's node union (src/crm/insights/segments/tree.ts) as JSON
 * schema, with the field and metric names of the registry. Hand-written rather than
 * z.toJSONSchema: the tree is validated by walking it (parseSegmentTree), not by one zod union,
 * and providers take a flat anyOf with a $ref for recursion better than zod's nested output.
 */
export function segmentTreeJsonSchema(): Record<string, unknown> {
  const node = { $ref: '#/$defs/node' };
  const obj = (properties: Record<string, unknown>, required: string[], description: string) => ({ type: 'object', description, properties, required, additionalProperties: false });
  return {
    type: 'object',
    properties: { root: node },
    required: ['root'],
    additionalProperties: false,
    $defs: {
      node: {
        anyOf: [
          obj({ and: { type: 'array', items: node, minItems: 1 } }, ['and'], 'all children hold'),
          obj({ or: { type: 'array', items: node, minItems: 1 } }, ['or'], 'any child holds'),
          obj({ not: node }, ['not'], 'the child does not hold'),
          obj(
            { field: { type: 'string', enum: Object.keys(FIELDS) }, op: { type: 'string', enum: [...OPS] }, value: valueSchema },
            ['field', 'op'],
            `a member field: ${Object.entries(FIELDS).map(([k, f]) => `${k} (${f.label}${'values' in f && f.values ? `: ${f.values.join('/')}` : ''})`).join(', ')}`,
          ),
          obj({ tag: { type: 'string' }, has: { type: 'boolean' } }, ['tag'], 'the member has (has=false: lacks) this tag'),
          obj(
            { metric: { type: 'string', enum: Object.keys(METRICS) }, days: { type: 'integer', minimum: 1, maximum: 3650 }, op: { type: 'string', enum: OPS.filter((o) => o !== 'is_null' && o !== 'contains') }, value: valueSchema },
            ['metric', 'op', 'value'],
            `behaviour over the last \`days\` days (omit days = whole history): ${Object.entries(METRICS).map(([k, m]) => `${k} (${m.label}${'sinceLast' in m && m.sinceLast ? ', no days' : ''})`).join(', ')}`,
          ),
          obj(
            { activity: { type: 'string', minLength: 1, maxLength: 64 }, days: { type: 'integer', minimum: 1, maximum: 3650 }, joined: { type: 'boolean' } },
            ['activity'],
            'took part in the named campaign or event (参加过…活动), within the last `days` days if given; joined=false: never took part',
          ),
          obj(
            { event: { type: 'string', enum: [...EVENT_TYPES] }, ref: { type: 'string', minLength: 1, maxLength: 64 }, min: { type: 'integer', minimum: 1 }, days: { type: 'integer', minimum: 1, maximum: 3650 } },
            ['event'],
            'a behaviour event the mini-program reported (浏览过商品, 报名过活动, 签到, 提交表单, 进群, 核销优惠券 …) at least `min` times (default 1) in the last `days` days, optionally about one `ref` (product id, activity id, form id, coupon code)',
          ),
        ],
      },
    },
  };
}

const SYSTEM = (today: string) =>
  [
    'You turn a retail CRM segment description (Chinese or English) into a condition tree by calling the segment_tree tool once.',
    `Today is ${today} (China time). Periods are days back from today: 最近三个月 = 90, 上个月 / 最近一个月 = 30; "this month" = days since the 1st of this month.`,
    'Use metric order_count for purchase counts, spend for money (yuan strings like "500.00"), days_since_last_order for silence; gender values are male/female/unknown.',
    '"没来 / no visit in the last N days" = metric order_count with days N, op eq, value 0. "两次以上" = gte 2.',
    'Registration relative to today uses "-Nd" values on field registered_at: 最近30天注册 = gte "-30d"; 注册超过一年 = lt "-365d" (re-read at every refresh, so a dynamic segment keeps meaning the last 30 days).',
    'Campaign or event participation: {"activity": "<name>"} (days N for the last N days; joined false for never took part).',
    'Mini-program behaviour: {"event": "product_viewed", "ref": "<product id>", "min": 3, "days": 30} = 最近30天浏览过该商品至少3次; 报名过活动 = activity_registered; never = {"not": …}.',
    'Placeholders such as <PHONE_1> and <NAME_1> stand for personal data: copy them unchanged. Never invent conditions the text does not state.',
  ].join('\n');

export type SegmentLlmOutcome = 'tool' | 'repaired' | 'invalid' | 'no_tool' | 'error' | 'timeout';

export interface SegmentLlmResult {
  tree: SegmentTree | null;
  outcome: SegmentLlmOutcome;
}

/**
 * Natural-language segment builder (docs/intents.md, LLM router): asks the model for the
 * condition tree with one tool whose parameters are the tree's JSON schema, validates the answer with parseSegmentTree,
 * gives one repair attempt naming the bad node, and returns null on timeout, provider error or a
 * second invalid answer (the caller then keeps the rule parser's answer). The phrase is
 * pseudonymised (phones, member numbers, known names) before it leaves the process.
 */
export async function segmentTreeFromText(
  chat: ChatOpenAI,
  services: Services,
  phrase: string,
  opts: { budgetMs?: number; requestId?: string; names?: (string | null | undefined)[] } = {},
): Promise<SegmentLlmResult> {
  const started = Date.now();
  const log = (outcome: SegmentLlmOutcome, extra: object = {}) =>
    services.logger.info({ requestId: opts.requestId, llm: { purpose: 'segment', outcome, ms: Date.now() - started, ...usage, ...extra } }, 'llm segment');
  const pseudo = new Pseudonyms(opts.names ?? []);
  const tool = { type: 'function' as const, function: { name: SEGMENT_TOOL, description: 'The segment condition tree for the described members.', parameters: segmentTreeJsonSchema() } };
  const bound = chat.bindTools([tool], { tool_choice: 'auto' });
  // Declared after `log`, which reads `usage` only once a call has been made.
  const { usage, ask } = meteredCaller(bound, chat.streaming);
  const today = formatDate(services.now());

  try {
    return await withBudget(opts.budgetMs ?? services.config.LLM_TIMEOUT_MS, async (signal) => {
      for (const n of await knownNamesIn(services, phrase)) pseudo.addName(n);
      const messages: BaseMessage[] = [systemMessage(SYSTEM(today)), humanMessage(pseudo.mask(phrase))];
      const first = argsOf(await ask(messages, signal));
      if (!first) {
        log('no_tool');
        return { tree: null, outcome: 'no_tool' as const };
      }
      const tried = check(first.args, pseudo);
      if (tried.tree) {
        log('tool');
        return { tree: tried.tree, outcome: 'tool' as const };
      }
      const again = argsOf(
        await ask([...messages, humanMessage(`Your call ${SEGMENT_TOOL}(${pseudo.mask(first.raw)}) was invalid: ${pseudo.mask(tried.problem)}. Call ${SEGMENT_TOOL} again with a valid tree.`)], signal),
      );
      const fixed = again ? check(again.args, pseudo) : { tree: null, problem: 'no tool call' };
      if (fixed.tree) {
        log('repaired');
        return { tree: fixed.tree, outcome: 'repaired' as const };
      }
      log('invalid', { problem: fixed.problem.slice(0, 200) });
      return { tree: null, outcome: 'invalid' as const };
    });
  } catch (e) {
    const timeout = (isAppError(e) && e.code === 'llm_timeout') || (e as Error).name === 'AbortError';
    log(timeout ? 'timeout' : 'error', { error: (e as Error).message?.slice(0, 200), status: (e as { status?: number }).status });
    return { tree: null, outcome: timeout ? 'timeout' : 'error' };
  }
}

function argsOf(msg: AIMessage): { args: unknown; raw: string } | null {
  const ok = msg.tool_calls?.find((c) => c.name === SEGMENT_TOOL);
  if (ok) return { args: ok.args, raw: JSON.stringify(ok.args) };
  const bad = msg.invalid_tool_calls?.find((c) => c.name === SEGMENT_TOOL);
  if (bad) return { args: undefined, raw: String(bad.args ?? '') };
  return null;
}

/** The model's arguments as a validated tree (placeholders restored), or what was wrong. */
function check(args: unknown, pseudo: Pseudonyms): { tree: SegmentTree; problem?: undefined } | { tree: null; problem: string } {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return { tree: null, problem: 'the arguments are not a JSON object' };
  const a = pseudo.unmask(args as Record<string, unknown>);
  try {
    return { tree: parseSegmentTree({ version: 1, root: 'root' in a ? a.root : a }) };
  } catch (e) {
    if (isAppError(e)) return { tree: null, problem: e.message };
    throw e;
  }
}
