import type { Messages } from './types.ts';

/** The conversation's own texts (src/bot/dialogue, src/bot/clarify.ts): questions, short replies. */
export const dialogue = {
  zh: {
    chooseIntro: '你是想：',
    chooseHint: '回复序号就行（如「1」）。',
    option: '{{n}}. {{title}}',
    optionAbout: '{{n}}. {{title}}：{{about}}',
    optionExample: '{{n}}. {{title}}（如：{{example}}）',
    noOptions: '没太明白你的意思，能换个说法吗？发送「帮助」查看我能做什么。',
    needMember: '哪位会员？请发手机号、会员号或姓名。',
    needTag: '哪个标签？请发标签名，例如 VIP。',
    needPoints: '加或扣多少积分？例如「100」或「扣 50」。',
    needReason: '原因是什么？例如「生日福利」。',
    pickHint: '也可以直接回复序号，如「2」。',
    unrecognised: '没太明白你的意思，换个说法试试，或发「帮助」看全部功能。例如：',
    smalltalkThanks: '不客气！还有需要随时找我，例如：',
    smalltalk: '这个我帮不上忙～ 你可以这样问我：',
    example: '· {{title}}：{{text}}',
  },
  en: {
    chooseIntro: 'Did you mean:',
    chooseHint: 'Just reply with the number (e.g. "1").',
    option: '{{n}}. {{title}}',
    optionAbout: '{{n}}. {{title}}: {{about}}',
    optionExample: '{{n}}. {{title}} (e.g. {{example}})',
    noOptions: 'Sorry, I did not get that. Could you put it another way? Send "help" to see what I can do.',
    needMember: 'Which member? Send a phone number, member number or name.',
    needTag: 'Which tag? Send its name, e.g. VIP.',
    needPoints: 'How many points to add or deduct? e.g. "100" or "deduct 50".',
    needReason: 'What is the reason? e.g. "birthday gift".',
    pickHint: 'Or just reply with its number, e.g. "2".',
    unrecognised: 'Sorry, I did not get that. Try other words, or send "help" for everything I can do. For example:',
    smalltalkThanks: 'You are welcome! Anything else, just ask, e.g.:',
    smalltalk: 'I cannot help with that, but you can ask me, e.g.:',
    example: '· {{title}}: {{text}}',
  },
} satisfies Messages;
