/**
 * The AI bot's (智能机器人) callback payload — the decrypted JSON of callback mode and the `body`
 * of a long-connection frame are the same document (Tencent: 接收消息 / 接收事件) — and its
 * reduction to an InboundMessage. Pure: shared by the callback adapter, the long connection and
 * the Workers edge.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage } from '../../bot/types.ts';
import { AppError } from '../../crm/kernel/index.ts';

const text = z.object({ content: z.string().default('') });
const image = z.object({ url: z.string().optional() }).loose();
const mixedItem = z.object({ msgtype: z.string(), text: text.optional(), image: image.optional() }).loose();

/** The fields every callback carries; the rest depends on msgtype (kept loose: Tencent adds fields). */
export const aibotPayloadSchema = z
  .object({
    msgid: z.string().min(1).max(128),
    aibotid: z.string().optional(),
    /** Only in group chats. */
    chatid: z.string().max(128).optional(),
    chattype: z.enum(['single', 'group']).optional(),
    from: z.object({ userid: z.string().min(1).max(128), corpid: z.string().optional() }).loose(),
    create_time: z.number().optional(),
    response_url: z.string().optional(),
    msgtype: z.string().min(1),
    text: text.optional(),
    image: image.optional(),
    mixed: z.object({ msg_item: z.array(mixedItem).default([]) }).optional(),
    /** The stream-refresh callback: the id of the stream we opened in our first reply. */
    stream: z.object({ id: z.string().min(1).max(128) }).loose().optional(),
    event: z
      .object({
        eventtype: z.string(),
        // Tencent nests the event's fields under its type's name; the SDK's typings also show them flat.
        template_card_event: z.object({ card_type: z.string().optional(), event_key: z.string().optional(), task_id: z.string().optional(), selected_items: z.unknown().optional() }).loose().optional(),
        event_key: z.string().optional(),
        task_id: z.string().optional(),
        feedback_event: z.object({ id: z.string(), type: z.number().int(), content: z.string().optional(), inaccurate_reason_list: z.array(z.number()).optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
export type AiBotPayload = z.infer<typeof aibotPayloadSchema>;

/** What the origin needs of a feedback event (stored against the answer, src/channels/aibot/feedback.ts). */
export interface FeedbackData {
  feedbackId: string;
  type: number;
  content?: string;
  reasons?: number[];
  userid: string;
}

/** One AI-bot callback, classified. */
export type AiBotCallback =
  | { kind: 'message'; message: InboundMessage }
  /** WeCom asks for the current content of the stream we opened (msgtype stream). */
  | { kind: 'refresh'; messageId: string; streamId: string; from: string; conversationId?: string }
  | { kind: 'enter_chat'; messageId: string; from: string }
  | { kind: 'feedback'; messageId: string; feedback: FeedbackData }
  /** A message we cannot read (a lone image, voice, file): answered with a short note. */
  | { kind: 'unreadable'; messageId: string; from: string; msgtype: string }
  | { kind: 'other'; messageId: string; reason: string };

/** Parses the decrypted JSON; 400 `aibot_bad_callback` when it is not one. */
export function parseAiBotJson(json: string): AiBotPayload {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new AppError('aibot_bad_callback', 'the decrypted AI-bot callback is not JSON');
  }
  const parsed = aibotPayloadSchema.safeParse(doc);
  if (!parsed.success) throw new AppError('aibot_bad_callback', 'the AI-bot callback lacks msgid, msgtype or from.userid');
  return parsed.data;
}

/**
 * In a group the bot receives only messages that @ it, and the text starts with the mention
 * ("@RobotA hello"): the request is what follows it.
 */
export const withoutMention = (s: string): string => s.replace(/^(\s*@\S+\s*)+/u, '').trim();

/** The text of a text or mixed (图文混排) message: its text items in order, images left out. */
function textOf(p: AiBotPayload): string | undefined {
  if (p.msgtype === 'text') return p.text?.content ?? '';
  if (p.msgtype === 'mixed') {
    const parts = (p.mixed?.msg_item ?? []).filter((i) => i.msgtype === 'text').map((i) => i.text?.content ?? '');
    return parts.length ? parts.join('\n') : undefined;
  }
  return undefined;
}

/** The selected option of a vote/multiple card (selected_items.selected_item[0].option_ids.option_id[0]). */
function selectedOption(selected: unknown): string | undefined {
  const item = (selected as { selected_item?: { option_ids?: { option_id?: unknown[] } }[] } | undefined)?.selected_item?.[0];
  const id = item?.option_ids?.option_id?.[0];
  return typeof id === 'string' ? id : undefined;
}

/** The stream id we give a message's answer: derived from its msgid, so a retry of the message gets the same stream. */
export const streamIdOf = (messageId: string): string => `s${createHash('sha256').update(messageId).digest('hex').slice(0, 31)}`;

/** Classifies a payload; `conversationId` is the group's chatid (a one-to-one chat has none). */
export function classifyAiBot(p: AiBotPayload, now: Date, requestId: string): AiBotCallback {
  const from = p.from.userid;
  const group = p.chattype === 'group' && p.chatid ? { conversationId: p.chatid } : {};
  const base = { channel: 'wecom_aibot' as const, messageId: p.msgid, from, receivedAt: now, requestId, ...group };
  if (p.msgtype === 'stream') {
    if (!p.stream) throw new AppError('aibot_bad_callback', 'a stream callback without stream.id');
    return { kind: 'refresh', messageId: p.msgid, streamId: p.stream.id, from, ...group };
  }
  if (p.msgtype === 'event') {
    const e = p.event;
    const type = e?.eventtype ?? 'unknown';
    if (type === 'enter_chat') return { kind: 'enter_chat', messageId: p.msgid, from };
    if (type === 'template_card_event') {
      const c = e?.template_card_event;
      const taskId = c?.task_id ?? e?.task_id;
      const key = selectedOption(c?.selected_items) ?? c?.event_key ?? e?.event_key;
      if (!taskId || !key) throw new AppError('aibot_bad_callback', 'a template_card_event without task_id or event_key');
      return { kind: 'message', message: { ...base, text: '', action: { taskId, key } } };
    }
    if (type === 'feedback_event' && e?.feedback_event) {
      const f = e.feedback_event;
      return { kind: 'feedback', messageId: p.msgid, feedback: { feedbackId: f.id, type: f.type, userid: from, ...(f.content ? { content: f.content } : {}), ...(f.inaccurate_reason_list ? { reasons: f.inaccurate_reason_list } : {}) } };
    }
    return { kind: 'other', messageId: p.msgid, reason: `event:${type}` };
  }
  const t = textOf(p);
  if (t === undefined) return { kind: 'unreadable', messageId: p.msgid, from, msgtype: p.msgtype };
  return { kind: 'message', message: { ...base, text: p.chattype === 'group' ? withoutMention(t) : t.trim() } };
}
