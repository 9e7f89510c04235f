import type { Messages } from './types.ts';

/** The help text (src/intents/help-text.ts): staff help and my.help share it. */
export const help = {
  zh: {
    greeting: '你好！你可以这样问我：',
    greetingNamed: '你好，{{name}}！你可以这样问我：',
    line: '· {{title}}：{{example}}',
    footer: '发送「帮助」或 help 随时查看本说明。',
  },
  en: {
    greeting: 'Hi! You can ask me:',
    greetingNamed: 'Hi {{name}}! You can ask me:',
    line: '· {{title}}: {{example}}',
    footer: 'Send "help" any time to see this list.',
  },
} satisfies Messages;
