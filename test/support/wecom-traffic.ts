/**
 * WeCom's side of the callback traffic, for the SIGTERM-under-load test and `npm run bench:faults`:
 * signed text callbacks at a steady rate, each from its own staff user (so a push can be told
 * apart from another message's), delivered as the platform does — it waits 5 s for the answer and
 * re-sends an unanswered callback up to three times, about 5 s apart (docs/wecom.md, protocol
 * rules). An HTTP 200 ends the message (a passive reply when its body is not empty, else the ack
 * of the slow path, whose answer comes by push); a 5xx, a refused or dropped connection or no
 * answer within 5 s is re-sent.
 *
 * Counting what the user saw: a passive reply WeCom received (within its 5 s) shows once; each
 * push (`message/send` on the fake qyapi) shows once. An answer split into parts (over 2048
 * bytes) is one answer, so pushes count by their most repeated content: the same text pushed
 * twice is the same answer shown twice.
 */
import type { SentMessage } from '../fakes/qyapi.ts';
import { encryptedCallback, textMessageXml, type CallbackKeys } from './wecom-callback-builder.ts';

export interface TrafficMessage {
  msgId: string;
  from: string;
  text: string;
  /** One entry per delivery (when it began and ended): HTTP status with whether the body was a passive reply, or what went wrong. */
  deliveries: { at: number; end: number; outcome: 'passive' | 'ack' | `http ${number}` | 'timeout' | 'refused' }[];
  done: boolean;
}

export interface TrafficOptions {
  /** The server's port, read at each delivery (a restarted server may be elsewhere). */
  port: () => number;
  keys: CallbackKeys;
  /** Sender of message n (a staff user the server knows). */
  from: (n: number) => string;
  /** Text of message n (e.g. a few of them on the slow path). */
  text: (n: number) => string;
  /** Messages per second. */
  rate: number;
  /** Stops by itself after this many messages. */
  max?: number;
  /** Prefix of the MsgIds (unique per run). */
  idPrefix: string;
  /** WeCom's wait for an answer and the spacing of its re-sends. */
  timeoutMs?: number;
  retries?: number;
}

export interface Traffic {
  readonly messages: TrafficMessage[];
  /** Stops sending new messages; the ones sent go on with their re-sends. */
  stop(): void;
  /** Resolves when every message sent has been answered or has used up its re-sends. */
  settled(): Promise<void>;
}

/**
 * One delivery of a text message as WeCom posts it to `/wecom/callback`: encrypted, signed with a
 * fresh timestamp and nonce. Also what `npm run bench:http` sends (its closed-loop load).
 */
export function signedCallback(keys: CallbackKeys, m: { from: string; text: string; msgId: string }): { path: string; body: string; headers: Record<string, string> } {
  const req = encryptedCallback(keys, textMessageXml({ corpId: keys.corpId, from: m.from, text: m.text, msgId: m.msgId, createTime: Math.floor(Date.now() / 1000) }), new Date());
  return { path: `/wecom/callback?${new URLSearchParams(req.query)}`, body: req.body, headers: req.headers };
}

/** Starts sending now. */
export function startTraffic(o: TrafficOptions): Traffic {
  const timeoutMs = o.timeoutMs ?? 5000;
  const retries = o.retries ?? 3;
  const messages: TrafficMessage[] = [];
  const running: Promise<void>[] = [];
  let n = 0;

  async function deliverOnce(m: TrafficMessage): Promise<TrafficMessage['deliveries'][number]['outcome']> {
    // Each delivery is signed afresh (WeCom's re-send carries a new timestamp and nonce).
    const req = signedCallback(o.keys, m);
    try {
      const res = await fetch(`http://127.0.0.1:${o.port()}${req.path}`, {
        method: 'POST',
        body: req.body,
        headers: req.headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.text();
      if (res.status !== 200) return `http ${res.status}`;
      return body.length > 0 ? 'passive' : 'ack';
    } catch (e) {
      return (e as Error).name === 'TimeoutError' ? 'timeout' : 'refused';
    }
  }

  async function drive(m: TrafficMessage) {
    for (let attempt = 0; attempt <= retries; attempt++) {
      const at = Date.now();
      const outcome = await deliverOnce(m);
      m.deliveries.push({ at, end: Date.now(), outcome });
      if (outcome === 'passive' || outcome === 'ack') break;
      // The next re-send about 5 s after this one began.
      if (attempt < retries) await new Promise((r) => setTimeout(r, Math.max(0, at + timeoutMs - Date.now())));
    }
    m.done = true;
  }

  const send = () => {
    if (o.max !== undefined && n >= o.max) return clearInterval(timer);
    const i = n++;
    const m: TrafficMessage = { msgId: `${o.idPrefix}${String(i).padStart(6, '0')}`, from: o.from(i), text: o.text(i), deliveries: [], done: false };
    messages.push(m);
    running.push(drive(m));
  };
  const timer = setInterval(send, 1000 / o.rate);
  send(); // the first at once, so start-then-settled() sends at least one

  return {
    messages,
    stop: () => clearInterval(timer),
    async settled() {
      clearInterval(timer);
      await Promise.all(running);
    },
  };
}

/** How many times the user saw an answer to `m`: its passive reply, plus the pushes to its sender (see the file comment). */
export function timesAnswered(m: TrafficMessage, pushes: SentMessage[]): number {
  const passive = m.deliveries.filter((d) => d.outcome === 'passive').length;
  const perContent = new Map<string, number>();
  for (const p of pushes) if (p.touser === m.from) perContent.set(p.content, (perContent.get(p.content) ?? 0) + 1);
  return passive + Math.max(0, ...perContent.values());
}

/** Messages answered once, never, and more than once (with their ids). */
export function answerCounts(messages: TrafficMessage[], pushes: SentMessage[]) {
  const never: string[] = [];
  const twice: string[] = [];
  let once = 0;
  for (const m of messages) {
    const t = timesAnswered(m, pushes);
    if (t === 0) never.push(m.msgId);
    else if (t === 1) once++;
    else twice.push(m.msgId);
  }
  return { total: messages.length, once, never, twice };
}
