import { z } from 'zod';
import { AppError, isAppError } from '../../crm/kernel/index.ts';
import { parseSegmentTree, type SegmentTree } from '../../crm/insights/index.ts';
// The phrase parser is edge code (src/intents/parse), so the API, also edge, may reuse it; the domain never does.
import { parsePhrase } from '../../intents/parse/segment-phrase.ts';

/**
 * A segment's conditions in a request body: the engine's condition tree as JSON, or the same
 * Chinese phrase the chat understands. Only the tree's envelope is checked by the body schema;
 * the nodes are checked by the engine's own validator (parseSegmentTree, each node with its zod
 * schema), whose error names the node — turned here into the API's 422 with `issues`.
 */
export const treeSchema = z
  .object({
    version: z.literal(1),
    root: z.record(z.string(), z.unknown()).describe('a node: {and|or: [node…]}, {not: node}, {field, op, value}, {tag, has?}, {metric, days?, op, value}, {activity, days?, joined?}, {score, op, value}'),
  })
  .describe('the condition tree (docs/segments.md): validated node by node; a bad node is a 422 whose issue path names it, e.g. ["tree","root","and",1,"op"]');

export const phraseSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .describe('the conditions in Chinese as the chat takes them, e.g. "最近90天没消费 且 累计消费大于2000", "流失风险高 且 RFM冠军"; "静态" in it asks for a static segment');

/** "root.and[2].op" → ["root", "and", 2, "op"]. */
function pathParts(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] === undefined ? m[1]! : Number(m[2])));
}

function unprocessable(path: (string | number)[], message: string): AppError {
  return new AppError('validation_failed', `invalid body: ${path.join('.')} — ${message}`, { details: { issues: [{ path, message, code: 'invalid_segment' }] } });
}

/** The validated tree of a body's `tree`, or a 422 naming the bad node under `tree`. */
export function treeOf(raw: unknown): SegmentTree {
  try {
    return parseSegmentTree(raw);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'invalid_segment') throw e;
    const d = e.details as { path: string; message: string };
    // The engine names the envelope "tree" and the nodes from "root".
    const parts = pathParts(d.path);
    throw unprocessable(parts[0] === 'tree' ? parts : ['tree', ...parts], d.message);
  }
}

/**
 * The conditions of a body with exactly one of `tree` and `phrase` (a phrase is read at `now`,
 * for "本月生日"): the tree, and the list kind the phrase asked for, if it did.
 */
export function conditionsOf(body: { tree?: unknown; phrase?: string }, now: Date): { tree: SegmentTree; kind?: 'static' | 'dynamic' } {
  if (body.tree !== undefined && body.phrase !== undefined) throw unprocessable(['phrase'], 'give the conditions once: tree or phrase, not both');
  if (body.tree !== undefined) return { tree: treeOf(body.tree) };
  if (body.phrase === undefined) throw unprocessable(['tree'], 'give the conditions: tree (JSON) or phrase (Chinese)');
  const parsed = parsePhrase(body.phrase, now);
  if (!parsed.tree || parsed.unparsed.length) throw unprocessable(['phrase'], `not understood: ${parsed.unparsed.map((u) => `「${u}」`).join('、')}`);
  return { tree: treeOf(parsed.tree), ...(parsed.kind ? { kind: parsed.kind } : {}) };
}
