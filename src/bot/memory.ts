import type { Lang } from '../i18n/index.ts';
import type { Services } from '../services.ts';
import { turnStartKeys } from './confirmation.ts';
import { CONVERSATION_TTL_S, conversationKey, focusKey, MAX_TURNS, type Focus, type Speaker, type Turn } from './conversation.ts';
import { lastKey, pendingKey, shownKey, type Candidate, type LastAnswer, type Pending } from './dialogue/state.ts';
import type { Actor, InboundMessage, RouteResult } from './types.ts';

/**
 * A speaker's memory for one turn (docs/benchmarks.md, bench:http): the language of their last
 * answered turn, the bot's open question, the last answer, the members last listed and the member
 * in focus — read in one pipeline when the turn starts, changed here while it runs, and written
 * in one MULTI when it ends (`flush`). Every key carries the speaker as its hash tag
 * (conversation.ts `speakerKey`), so both are single-slot on a Redis Cluster. Read one at a
 * time and written as they happened, the same memory cost about ten round trips a turn.
 *
 * Writes wait for `flush`: a turn that throws before it changes nothing (the platform's retry
 * finds the question it was asked still open). Two turns of one speaker at once each write what
 * they saw, the later MULTI last — as two sequential writes did before.
 */
export interface TurnMemory {
  /** The language the bot last answered this speaker in (src/i18n replyLanguage falls back to it). */
  readonly lang: Lang | null;
  /** The code whose confirmation the bot asked for in the actor's previous turn, taken by this read (confirmation.ts `turnStartKeys`); null without an actor. */
  readonly fresh: string | null;
  /** Whether an action of the actor's was held in this conversation when the turn started (no actor: false). */
  readonly held: boolean;
  /** The speaker's previous turn as reported (its intent, slots and words): what "开了吗" / "did it go out?" asks about, what "也给陈静加一个" repeats. */
  readonly previous: Pick<Turn, 'intent' | 'slots' | 'text'> | null;
  pending(): Pending | null;
  last(): LastAnswer | null;
  shown(): Candidate[] | null;
  focus(): Focus | null;
  savePending(p: Pending): void;
  clearPending(): void;
  saveLast(last: LastAnswer): void;
  saveShown(candidates: readonly Candidate[]): void;
  setFocus(focus: Focus): void;
  /** Appends the turn to the conversation (the last MAX_TURNS, kept CONVERSATION_TTL_S). */
  recordTurn(msg: InboundMessage, route: RouteResult, lang: Lang): void;
  /** Writes what changed and renews the conversation's TTL, in one MULTI. */
  flush(): Promise<void>;
}

const parse = <T>(raw: string | null | undefined): T | null => (raw ? (JSON.parse(raw) as T) : null);

/**
 * `actor` (the identified sender, null when unregistered): its confirmation reads (confirmation.ts
 * `turnStartKeys`) go in the same pipeline — one round trip, not three. On a Redis Cluster those
 * keys hash to other slots than the speaker's, and an ioredis Cluster pipeline must stay in one
 * slot: there they are sent beside it, at the same time.
 */
export async function readMemory(services: Services, speaker: Speaker, actor: Actor | null): Promise<TurnMemory> {
  const keys = { conv: conversationKey(services, speaker), focus: focusKey(services, speaker), pending: pendingKey(services, speaker), last: lastKey(services, speaker), shown: shownKey(services, speaker) };
  const start = actor && turnStartKeys(services, actor, speaker.conversationId);
  const p = services.redis.pipeline().lindex(keys.conv, 0).mget(keys.pending, keys.last, keys.shown, keys.focus);
  const cluster = (services.redis as { isCluster?: boolean }).isCluster === true;
  if (start && !cluster) p.getdel(start.fresh).exists(start.latest);
  const [res, beside] = await Promise.all([p.exec(), start && cluster ? Promise.all([services.redis.getdel(start.fresh), services.redis.exists(start.latest)]) : undefined]);
  for (const [err] of res ?? []) if (err) throw err;
  const [fresh, held] = beside ?? (start ? [res![2]![1] as string | null, res![3]![1] as number] : [null, 0]);
  const lastTurn = parse<Turn>(res![0]![1] as string | null);
  const [pendingRaw, lastRaw, shownRaw, focusRaw] = res![1]![1] as (string | null)[];
  let pending = parse<Pending>(pendingRaw);
  let last = parse<LastAnswer>(lastRaw);
  let shown = parse<Candidate[]>(shownRaw);
  let focus = parse<Focus>(focusRaw);
  /** Key → its new value (null: deleted); only what the turn changed. */
  const changed = new Map<string, string | null>();
  let turn: Turn | undefined;
  return {
    lang: lastTurn?.lang ?? null,
    fresh,
    held: held > 0,
    previous: lastTurn ? { intent: lastTurn.intent, slots: lastTurn.slots ?? {}, text: lastTurn.text } : null,
    pending: () => pending,
    last: () => last,
    shown: () => shown,
    focus: () => focus,
    savePending(p) {
      pending = p;
      changed.set(keys.pending, JSON.stringify(p));
    },
    clearPending() {
      pending = null;
      changed.set(keys.pending, null);
    },
    saveLast(l) {
      last = l;
      changed.set(keys.last, JSON.stringify(l));
    },
    saveShown(c) {
      shown = [...c];
      changed.set(keys.shown, JSON.stringify(c));
    },
    setFocus(f) {
      focus = f;
      changed.set(keys.focus, JSON.stringify(f));
    },
    recordTurn(msg, route, lang) {
      turn = { at: services.now().toISOString(), text: msg.text, intent: route.intent, slots: route.slots, lang };
    },
    async flush() {
      if (!changed.size && !turn) return;
      const m = services.redis.multi();
      for (const [key, value] of changed) {
        if (value === null) m.del(key);
        else m.set(key, value, 'EX', CONVERSATION_TTL_S);
      }
      if (turn) {
        m.lpush(keys.conv, JSON.stringify(turn)).ltrim(keys.conv, 0, MAX_TURNS - 1).expire(keys.conv, CONVERSATION_TTL_S);
        // The member in focus lives as long as the conversation: an unrelated question keeps it alive.
        if (!changed.has(keys.focus)) m.expire(keys.focus, CONVERSATION_TTL_S);
      }
      const out = await m.exec();
      for (const [err] of out ?? []) if (err) throw err;
      changed.clear();
      turn = undefined;
    },
  };
}
