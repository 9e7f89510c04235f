/**
 * The AI bot's reply bodies (Tencent: 被动回复消息 / 长连接 aibot_respond_msg), as the plain JSON
 * that callback mode encrypts and the long connection sends as a frame body. Card rendering of
 * BotAnswer.card lives here (what a click does is src/bot's business).
 */
import type { AnswerCard, BotAnswer } from '../../bot/types.ts';
import { truncateUtf8 } from '../wecom/split.ts';
import { templateCardOf } from '../shared/template-card.ts';

/** stream.content: "最长不超过 20480 个字节，必须是 utf8 编码". */
export const STREAM_MAX_BYTES = 20480;

export interface StreamChunk {
  id: string;
  content: string;
  finish: boolean;
  /** Set on the first chunk: WeCom then lets the user rate the answer, and the feedback_event carries this id. */
  feedbackId?: string;
}

/** Whether the whole answer fits one stream (else the stream carries its head and the rest is relayed). */
export const fitsStream = (text: string): boolean => Buffer.byteLength(text, 'utf8') <= STREAM_MAX_BYTES;

/** The head of an over-long answer plus the relay note, within a stream's bytes. */
export function streamHead(text: string, note: string): string {
  const room = STREAM_MAX_BYTES - Buffer.byteLength(`\n\n${note}`, 'utf8');
  return `${truncateUtf8(text, room)}\n\n${note}`;
}

/** A stream chunk, with the answer's card beside it when it has one (msgtype stream_with_template_card). */
export function streamBody(chunk: StreamChunk, card?: AnswerCard): Record<string, unknown> {
  const stream = { id: chunk.id, finish: chunk.finish, content: chunk.content, ...(chunk.feedbackId ? { feedback: { id: chunk.feedbackId } } : {}) };
  return card ? { msgtype: 'stream_with_template_card', stream, template_card: templateCardOf(card) } : { msgtype: 'stream', stream };
}

/** The welcome on enter_chat: a text message, the one passive text the AI bot may send. */
export const welcomeBody = (content: string): Record<string, unknown> => ({ msgtype: 'text', text: { content } });

/**
 * The answer to a card click: the clicked card replaced (response_type update_template_card)
 * by a notice carrying the answer, so the buttons cannot be pressed again.
 */
export function cardUpdateBody(taskId: string, answer: Pick<BotAnswer, 'text' | 'card'>): Record<string, unknown> {
  const card = answer.card ? templateCardOf(answer.card) : { card_type: 'text_notice', main_title: { title: answer.text.split('\n')[0]!.slice(0, 26) }, sub_title_text: answer.text.slice(0, 112) };
  return { response_type: 'update_template_card', template_card: { ...card, task_id: answer.card?.taskId ?? taskId } };
}
