/**
 * What the kf channel remembers of each customer's session, in Redis (losing it loses context,
 * never a message): the kf account they last wrote to (a push carries only the customer), whether a
 * person serves them now (the bot keeps quiet: kf/send_msg would fail with 95018), and the last
 * messages of the session, which a hand-off carries into the ticket.
 *
 * Tencent counts a session as 48 hours from the customer's message or until it is ended
 * (「分配客服会话」: 在48h内，或主动结束会话前，都算是一次会话); everything here lives that long.
 */
import type { Redis } from '../../redis.ts';

const SESSION_MS = 48 * 3600_000;
/** Lines of the conversation kept for a hand-off. */
export const TRANSCRIPT_LINES = 20;

export type Speaker = 'customer' | 'bot' | 'servicer';
export interface TranscriptLine {
  at: number;
  who: Speaker;
  text: string;
}

export interface KfSessions {
  /** The kf account this customer last wrote to (where their answers go). */
  route(externalUserId: string): Promise<string | undefined>;
  setRoute(externalUserId: string, openKfId: string): Promise<void>;
  /** A person serves the customer (queue or servicer): the bot does not answer. */
  withPerson(openKfId: string, externalUserId: string): Promise<boolean>;
  setWithPerson(openKfId: string, externalUserId: string, on: boolean): Promise<void>;
  note(openKfId: string, externalUserId: string, line: TranscriptLine): Promise<void>;
  /** The last lines of the session, oldest first. */
  transcript(openKfId: string, externalUserId: string): Promise<TranscriptLine[]>;
}

export function createKfSessions(redis: Redis, key: (...parts: (string | number)[]) => string): KfSessions {
  const routeKey = (u: string) => key('kf', 'route', u);
  const personKey = (k: string, u: string) => key('kf', 'person', k, u);
  const lineKey = (k: string, u: string) => key('kf', 'transcript', k, u);
  return {
    route: async (u) => (await redis.get(routeKey(u))) ?? undefined,
    async setRoute(u, k) {
      await redis.set(routeKey(u), k, 'PX', SESSION_MS * 2);
    },
    withPerson: async (k, u) => (await redis.exists(personKey(k, u))) === 1,
    async setWithPerson(k, u, on) {
      if (on) await redis.set(personKey(k, u), '1', 'PX', SESSION_MS);
      else await redis.del(personKey(k, u));
    },
    async note(k, u, line) {
      const lk = lineKey(k, u);
      await redis.multi().rpush(lk, JSON.stringify(line)).ltrim(lk, -TRANSCRIPT_LINES, -1).pexpire(lk, SESSION_MS).exec();
    },
    async transcript(k, u) {
      return (await redis.lrange(lineKey(k, u), 0, -1)).map((r) => JSON.parse(r) as TranscriptLine);
    },
  };
}
