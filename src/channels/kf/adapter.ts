/**
 * The 微信客服 channel (wecom_kf) as a channel adapter (docs/architecture.md, conventions). Its
 * callback is the self-built app's own (kf_msg_or_event arrives on the app's callback URL, signed
 * and encrypted like every WeCom callback), so parse() is the WeCom adapter's, keeping only the kf
 * signal; the messages themselves are pulled (sync_msg) and parsed by parsePulled(). There is no
 * passive reply: every answer is pushed through kf/send_msg inside the reply window.
 */
import { AppError } from '../../crm/kernel/index.ts';
import type { ChannelAdapter, ParseResult, RawResponse } from '../types.ts';
import type { KfSender } from './sender.ts';
import { parsePulledItem } from './pulled.ts';

/** What a kf_msg_or_event callback carries for sync_msg (the WeCom adapter's `data` of that event). */
export interface KfSignal {
  openKfId: string;
  token: string;
}

export function kfSignalOf(parsed: ParseResult): KfSignal | undefined {
  if (!parsed.ok || parsed.kind !== 'ignored') return undefined;
  const kf = (parsed.data as { kf?: Partial<KfSignal> } | undefined)?.kf;
  return kf && typeof kf.openKfId === 'string' && kf.openKfId ? { openKfId: kf.openKfId, token: typeof kf.token === 'string' ? kf.token : '' } : undefined;
}

export interface KfAdapterOptions {
  /** The app's callback adapter (src/channels/wecom): verification, decryption, the kf signal. */
  callback: ChannelAdapter;
  sender?: KfSender;
  /** Reads the kf account the signal names (sync.ts); awaited before the callback's ack. */
  sync?: (signal: KfSignal, now: Date) => Promise<void>;
}

export interface KfAdapter extends ChannelAdapter {
  readonly channel: 'wecom_kf';
  parsePulled: NonNullable<ChannelAdapter['parsePulled']>;
  onAccepted(parsed: Extract<ParseResult, { ok: true }>, now: Date): Promise<void>;
}

const EMPTY_ACK: RawResponse = { status: 200, contentType: 'text/plain', body: '' };

export function createKfAdapter(opts: KfAdapterOptions): KfAdapter {
  const { callback, sender, sync } = opts;
  return {
    channel: 'wecom_kf',
    maxBodyBytes: callback.maxBodyBytes,
    // No passive reply on 微信客服: every answer goes through kf/send_msg.
    canReplyInline: () => false,
    parse(req, now, requestId) {
      const r = callback.parse(req, now, requestId);
      if (!r.ok || r.kind === 'verify' || kfSignalOf(r)) return r;
      return { ok: true, kind: 'ignored', reason: 'not_kf', messageId: r.kind === 'message' ? r.message.messageId : r.messageId };
    },
    parsePulled: parsePulledItem,
    reply: () => EMPTY_ACK,
    async onAccepted(parsed, now) {
      const signal = kfSignalOf(parsed);
      if (signal && sync) await sync(signal, now);
    },
    async push(to, text, requestId) {
      if (!sender) throw new AppError('channel_not_configured', '微信客服 needs WECOM_SECRET and WECOM_AGENT_ID to send', { status: 500 });
      await sender.send(to, text, requestId);
    },
  };
}

/**
 * The app's callback adapter with kf signals handed to the kf channel: the one callback URL serves
 * the app's own messages and 微信客服's kf_msg_or_event (Tencent sends both there).
 */
export function withKfEvents<A extends ChannelAdapter>(app: A, kf: KfAdapter): A {
  return {
    ...app,
    async onAccepted(parsed: Extract<ParseResult, { ok: true }>, now: Date) {
      await app.onAccepted?.(parsed, now);
      if (kfSignalOf(parsed)) await kf.onAccepted(parsed, now);
    },
  };
}
