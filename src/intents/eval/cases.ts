import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The evaluation sets' line formats (test/intents/tuning/ and the blind test/intents/test/, test2/ …):
 * single messages in every `*.jsonl` but `dialogues.jsonl` and `harm.jsonl`, which hold one
 * conversation per line.
 */
const slotsSchema = z.record(z.string(), z.unknown());

export const STYLES = ['standard', 'colloquial', 'terse', 'runon', 'typo', 'traditional', 'english', 'mixed'] as const;

/** One single message: what the router should make of it on its own. */
export const evalCaseSchema = z.object({
  text: z.string(),
  audience: z.enum(['staff', 'member']),
  intent: z.string().min(1),
  slots: slotsSchema.default({}),
  style: z.enum(STYLES).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});
export type EvalCase = z.infer<typeof evalCaseSchema> & { file: string; line: number };

export const OUTCOMES = ['answered', 'asked', 'held', 'done', 'declined'] as const;

/** One turn: what the bot should understand in context, and what the turn should do. */
export const turnSchema = z.object({
  say: z.string().min(1),
  intent: z.string().min(1),
  /** When given, compared exactly (free text ignored); when absent, not compared. */
  slots: slotsSchema.optional(),
  outcome: z.enum(OUTCOMES),
});
export type EvalTurn = z.infer<typeof turnSchema>;

/** A dialogue, or a harm probe (`kind: "harm"`): turns from one sender, from a clean conversation. */
export const conversationSchema = z.object({
  id: z.string().min(1),
  audience: z.enum(['staff', 'member']),
  from: z.string().min(1),
  kind: z.string().optional(),
  turns: z.array(turnSchema).min(1),
});
export type EvalConversation = z.infer<typeof conversationSchema> & { file: string; line: number };

const CONVERSATION_FILES = new Set(['dialogues.jsonl', 'harm.jsonl']);

async function readJsonl<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<(T & { file: string; line: number })[]> {
  const out: (T & { file: string; line: number })[] = [];
  const lines = (await readFile(join(dir, file), 'utf8')).split('\n');
  lines.forEach((raw, i) => {
    if (!raw.trim() || raw.trim().startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    out.push({ ...parsed.data, file, line: i + 1 });
  });
  return out;
}

const jsonlFiles = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();

/** Every single message of a set's directory. */
export async function loadEvalSet(dir: string): Promise<EvalCase[]> {
  const cases: EvalCase[] = [];
  for (const file of await jsonlFiles(dir)) if (!CONVERSATION_FILES.has(file)) cases.push(...(await readJsonl(dir, file, evalCaseSchema)));
  return cases;
}

/** The set's dialogues (`dialogues.jsonl`) or harm probes (`harm.jsonl`); none when the file is absent. */
export async function loadConversations(dir: string, which: 'dialogues' | 'harm'): Promise<EvalConversation[]> {
  const file = `${which}.jsonl`;
  if (!(await jsonlFiles(dir)).includes(file)) return [];
  return readJsonl(dir, file, conversationSchema);
}
