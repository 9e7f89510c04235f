import { describe, expect, it } from 'vitest';
import { AIBOT_KEYS as keys, aibotCallback, aibotVerification, eventMessage, imageMessage, mixedMessage, readAiBotReply, streamRefresh, textMessage } from '../../../test/support/aibot-callback-builder.ts';
import { createAiBotAdapter } from './adapter.ts';
import { streamIdOf, withoutMention } from './payload.ts';

const now = new Date('2026-12-07T02:00:00Z');
const adapter = createAiBotAdapter({ token: keys.token, aesKey: keys.aesKey, maxSkewS: 300, placeholderMs: 1500 });
const parse = (doc: unknown) => adapter.parse(aibotCallback(keys, doc, now), now, 'req-1');

describe('AI-bot callback adapter', () => {
  it('echoes the decrypted echostr on URL verification', () => {
    expect(adapter.parse(aibotVerification(keys, 'echo-123', now), now, 'r')).toMatchObject({ ok: true, kind: 'verify', response: { status: 200, body: 'echo-123' } });
  });

  it('reads a group @-mention without the mention, with the chat as the conversation', () => {
    const res = parse(textMessage('m1', '查一下 13800000001', { from: 'u1', chatid: 'wrkSFfCgAAxxx' }));
    expect(res).toMatchObject({ ok: true, kind: 'message', message: { channel: 'wecom_aibot', messageId: 'm1', from: 'u1', text: '查一下 13800000001', conversationId: 'wrkSFfCgAAxxx' } });
    const single = parse(textMessage('m2', 'help', { from: 'u1' }));
    expect(single.ok && single.kind === 'message' && single.message.conversationId).toBeUndefined();
    expect(withoutMention('@CRM助手 @李娜 你好')).toBe('你好');
  });

  it('reads the text items of a mixed message; a lone image is unreadable', () => {
    const mixed = parse(mixedMessage('m3', [{ text: '第一行' }, { image: 'https://x/1.jpg' }, { text: '第二行' }], { from: 'u1' }));
    expect(mixed).toMatchObject({ kind: 'message', message: { text: '第一行\n第二行' } });
    expect(parse(imageMessage('m4', 'https://x/2.jpg', { from: 'u1' }))).toMatchObject({ kind: 'ignored', reason: 'msgtype:image' });
  });

  it('classifies a stream refresh, enter_chat, feedback and a card click', () => {
    expect(parse(streamRefresh('m5', 'sabc', { from: 'u1' }))).toMatchObject({ kind: 'ignored', reason: 'refresh', data: { kind: 'refresh', streamId: 'sabc' } });
    expect(parse(eventMessage('m6', 'enter_chat', {}, { from: 'u1' }))).toMatchObject({ kind: 'ignored', data: { kind: 'enter_chat', from: 'u1' } });
    expect(parse(eventMessage('m7', 'feedback_event', { id: 'm1', type: 1 }, { from: 'u1' }))).toMatchObject({ kind: 'ignored', data: { kind: 'feedback', feedback: { feedbackId: 'm1', type: 1, userid: 'u1' } } });
    const click = parse(eventMessage('m8', 'template_card_event', { card_type: 'button_interaction', event_key: 'confirm', task_id: 'T1' }, { from: 'u1' }));
    expect(click).toMatchObject({ kind: 'message', message: { text: '', action: { taskId: 'T1', key: 'confirm' } } });
    const vote = parse(eventMessage('m9', 'template_card_event', { card_type: 'vote_interaction', event_key: 'submit', task_id: 'T2', selected_items: { selected_item: [{ question_key: 'choice', option_ids: { option_id: ['2'] } }] } }, { from: 'u1' }));
    expect(vote).toMatchObject({ message: { action: { taskId: 'T2', key: '2' } } });
  });

  it('opens a stream with 处理中… when there is no answer yet, and finishes it with the answer and its card', () => {
    const res = parse(textMessage('m10', '帮助', { from: 'u1' }));
    if (!res.ok || res.kind !== 'message') throw new Error('expected a message');
    expect(readAiBotReply(keys, adapter.reply(null, res.message, now))).toEqual({ msgtype: 'stream', stream: { id: streamIdOf('m10'), finish: false, content: '处理中…', feedback: { id: 'm10' } } });
    const card = { kind: 'confirm' as const, taskId: 'T9', title: '批量打标签', summary: '259 位会员', expiresAt: '2026-12-07 10:30' };
    const reply = readAiBotReply(keys, adapter.reply({ intent: 'tag.add', slots: {}, confidence: 1, text: '将给 259 位会员打标签', card }, res.message, now))!;
    expect(reply).toMatchObject({ msgtype: 'stream_with_template_card', stream: { id: streamIdOf('m10'), finish: true, content: '将给 259 位会员打标签' }, template_card: { card_type: 'button_interaction', task_id: 'T9' } });
    expect(reply.template_card.button_list.map((b: { text: string }) => b.text)).toEqual(['确认', '取消']);
  });

  it('welcomes on enter_chat with a text message', () => {
    const res = parse(eventMessage('m11', 'enter_chat', {}, { from: 'u1' }));
    if (!res.ok || res.kind !== 'ignored') throw new Error('expected an event');
    expect(readAiBotReply(keys, adapter.statelessResponse(res.data as never, now)!)).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('CRM') } });
  });
});
