/**
 * The AI bot's open streams (Tencent: 流式消息回复 — after our first chunk WeCom calls back with
 * msgtype stream and the same stream.id, asking for the current content, until we answer with
 * finish=true or 6 minutes have passed since the user's message). One Redis key per stream,
 * shared by every process, so a refresh may land anywhere; the answering process writes the
 * answer into it. The cut-over at AIBOT_STREAM_MAX_MS and the answer's arrival race: one small
 * compare-and-set script decides which one wins, so the answer goes either into the stream or
 * out as an app message, never both and never neither.
 */
import type { AnswerCard } from '../../bot/types.ts';
import type { Services } from '../../services.ts';

type StreamServices = Pick<Services, 'redis' | 'key' | 'now'>;

export interface StreamState {
  /** When the message arrived (ms): the 6-minute limit counts from here. */
  startedAt: number;
  from: string;
  conversationId?: string;
  /** The language the placeholder speaks (the message's). */
  lang?: 'zh' | 'en';
  state: 'working' | 'done' | 'relayed';
  /** done: the content the stream finishes with. */
  content?: string;
  card?: AnswerCard;
}

/** Kept past WeCom's 6 minutes of refreshes. */
const TTL_S = 15 * 60;

// SET the new value unless the stream exists in another state than ARGV[1]; returns the current value when it refused.
const CAS_LUA = `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).state ~= ARGV[1] then return v end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return false`;

const keyOf = (s: StreamServices, streamId: string) => s.key('aibot', 'stream', streamId);

export function aiBotStreams(services: StreamServices) {
  const read = async (streamId: string): Promise<StreamState | null> => {
    const raw = await services.redis.get(keyOf(services, streamId));
    return raw ? (JSON.parse(raw) as StreamState) : null;
  };
  /** Moves a working stream to `next`; returns the state that prevented it (null: moved). */
  const fromWorking = async (streamId: string, next: StreamState): Promise<StreamState | null> => {
    const cur = await services.redis.eval(CAS_LUA, 1, keyOf(services, streamId), 'working', JSON.stringify(next), TTL_S);
    return cur ? (JSON.parse(String(cur)) as StreamState) : null;
  };
  return {
    read,
    /** Records a message's stream as working (idempotent: a retry of the message keeps the first arrival time). */
    async open(streamId: string, meta: Pick<StreamState, 'from' | 'conversationId' | 'lang'>, startedAt: Date): Promise<void> {
      const state: StreamState = { startedAt: startedAt.getTime(), state: 'working', ...meta };
      await services.redis.set(keyOf(services, streamId), JSON.stringify(state), 'EX', TTL_S, 'NX');
    },
    /** The answer arrived: 'done' when the stream carries it, 'relayed' when the stream was already cut over (relay it). */
    async finish(streamId: string, content: string, card: AnswerCard | undefined, meta: Omit<StreamState, 'state' | 'content' | 'card'>): Promise<'done' | 'relayed'> {
      const refused = await fromWorking(streamId, { ...meta, state: 'done', content, ...(card ? { card } : {}) });
      return refused?.state === 'relayed' ? 'relayed' : 'done';
    },
    /** The 6 minutes are nearly up: finish the stream with a note; the answer, when it comes, is relayed. Returns the state now. */
    async cutOver(streamId: string, cur: StreamState): Promise<StreamState> {
      const refused = await fromWorking(streamId, { ...cur, state: 'relayed' });
      return refused ?? { ...cur, state: 'relayed' };
    },
  };
}
export type AiBotStreams = ReturnType<typeof aiBotStreams>;
