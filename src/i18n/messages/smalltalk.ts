import type { Messages } from './types.ts';

/** smalltalk / my.smalltalk: one polite line and two example requests (src/intents/smalltalk.ts). */
export const smalltalk = {
  zh: {
    thanks: '不客气，有需要随时找我。',
    praise: '谢谢夸奖，我会继续努力！',
    bye: '好的，回头见！',
    ack: '好的。',
    other: '这个我帮不上忙，我只负责会员相关的事。',
    try: '你可以试试：「{{a}}」或「{{b}}」。',
  },
  en: {
    thanks: 'You’re welcome — ask me any time.',
    praise: 'Thank you, glad it helps!',
    bye: 'Bye for now!',
    ack: 'OK.',
    other: 'I can’t help with that; I only handle membership matters.',
    try: 'You could try: “{{a}}” or “{{b}}”.',
  },
} satisfies Messages;
