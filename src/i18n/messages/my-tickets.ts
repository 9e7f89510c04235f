import type { Messages } from './types.ts';

/** my.tickets: a member's own service tickets (src/intents/member/my-tickets.ts). */
export const myTickets = {
  zh: {
    none: '你目前没有服务工单。需要帮忙的话，回复「转人工」就能联系到我们。',
    head: '你的服务工单（共 {{total}} 张{{shown}}）：',
    shown: '，最近 {{n}} 张',
    line: '· {{no}} {{type}}：{{title}} — {{status}}（{{date}} 提交）{{extra}}',
    resolution: '，处理结果：{{resolution}}',
    working: '，我们正在处理，会尽快给你答复',
  },
  en: {
    none: 'You have no service tickets. If you need help, reply “human” to reach us.',
    head: 'Your service tickets ({{total}} in all{{shown}}):',
    shown: ', the latest {{n}}',
    line: '· {{no}} {{type}}: {{title}} — {{status}} (filed {{date}}){{extra}}',
    resolution: '; outcome: {{resolution}}',
    working: '; we are working on it and will get back to you soon',
  },
} satisfies Messages;
