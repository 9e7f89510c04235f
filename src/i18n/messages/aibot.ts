import type { Messages } from './types.ts';

/** What the AI-bot channel says itself (src/channels/aibot): placeholders, welcome, relay notices. */
export const aibot = {
  zh: {
    working: '处理中…',
    welcome: '你好，我是门店 CRM 助手。可以直接问我会员、订单、标签、积分，例如「查一下 13800000001」；在群里请 @我。',
    relayed: '（回答较长或较慢，完整内容已通过应用消息发给你。）',
    relayedGroup: '（回答较长或较慢，完整内容已通过应用消息私信发给提问人。）',
    tooSlow: '这个问题还在处理中，结果将通过应用消息发给你。',
    unreadable: '我暂时只能读文字消息，请用文字描述你的问题。',
  },
  en: {
    working: 'Working on it…',
    welcome: 'Hello, I am the store CRM assistant. Ask me about members, orders, tags or points, e.g. "look up 13800000001"; in a group, @ me.',
    relayed: '(The answer is long or slow; the full text has been sent to you as an app message.)',
    relayedGroup: '(The answer is long or slow; the full text has been sent to the asker as an app message.)',
    tooSlow: 'This is still being worked on; the result will reach you as an app message.',
    unreadable: 'I can only read text messages for now; please describe your question in words.',
  },
} satisfies Messages;
