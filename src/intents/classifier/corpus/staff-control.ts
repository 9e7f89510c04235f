import type { CorpusFile } from './generate.ts';

/** Confirming or cancelling a held action, asking for help, and small talk. */
export const staffControl: CorpusFile = {
  'action.confirm': {
    audience: 'staff',
    zh: [
      '[确认|确定|确认执行|执行|执行吧|确认发送|确定执行|好的执行|没问题执行|可以执行|确认无误|就这么办|发吧|确认一下]',
      '[确认|确定] [{count}|4821|0375|]',
      '[好|好的|行|可以|没问题|ok|OK][，|,| ][确认|执行|发吧|就这样|执行吧]',
      '[是的|对|嗯][，|,| ][确认|执行|确定]',
      // Vague assent is a confirmation reading; the gate accepts it only right after its own question.
      '[嗯|好|行|可以|没问题|好吧|ok|OK|可以的|中]',
      '[确认|确定][发送|执行|无误][吧|]',
    ],
    en: ['[confirm|confirmed|yes|yes please|go ahead|do it|ok do it|proceed|execute]', 'confirm [4821|0375|]', 'yes, [go ahead|send it|confirm]'],
  },
  'action.cancel': {
    audience: 'staff',
    zh: [
      '[取消|算了|不要了|不用了|撤销|别执行|先不要|先别|不发了|别发了|停|不做了|不弄了|先不了|等等再说|不执行]',
      '[取消|撤销] [{count}|4821|]',
      '[算了|不了|不用][，|,| ][取消吧|先不发|不要了|别执行]',
      '[那个|刚才那个][不要了|取消|撤了|别发了]',
    ],
    en: ['[cancel|abort|never mind|nevermind|no|nope|stop|forget it|don\'t do it]', 'cancel [4821|that|it]', 'no, [cancel|don\'t send it|stop]'],
  },
  help: {
    audience: 'staff',
    zh: [
      '[帮助|菜单|功能|使用说明|说明|功能列表|指令列表|命令列表]',
      '[你|机器人|这个机器人|这个bot][能做什么|能干什么|会什么|有什么功能|都能干啥|能帮我干嘛|怎么用]',
      '[怎么用|咋用|如何使用|怎么使用][这个|你|机器人|]',
      '[有哪些|都有啥|有什么][功能|命令|指令|用法]',
      '[我|新来的][不会用|不知道怎么用|该怎么问你|能问你什么]',
      '[给我|发一下|看看][帮助|菜单|功能列表|使用说明]',
      '[你是谁|你是干什么的|你是做什么的|你是什么机器人|这是什么]',
      '你[都|还|][会|能][干啥|做啥|干嘛|干什么|做什么|干些啥][呀|啊|]',
    ],
    en: ['[help|menu|what can you do|how do I use this|commands|show me the menu]', 'what [can|do] you [do|support|know]', 'how does this [bot|work]', '[who are you|what are you|what is this bot]'],
  },
  smalltalk: {
    audience: 'staff',
    zh: [
      '[谢谢|谢啦|多谢|感谢|辛苦了|好的谢谢|谢谢你|ok谢谢|收到谢谢|明白了谢谢|👍|赞|厉害|牛|不错|太棒了]',
      '[哈哈|哈哈哈|呵呵|嘿嘿|666|😂|辛苦啦|你真棒|真聪明|你好厉害]',
      '[今天天气怎么样|明天会下雨吗|外面冷不冷|今天几号|现在几点了]',
      '[你叫什么|你是机器人吗|你是真人吗|你几岁了|你吃饭了吗]',
      '[明天|后天|周末][下不下雨|会下雨吗|天气如何|冷不冷]',
      '[讲个笑话|给我讲个笑话|陪我聊聊天|我好累啊|今天好忙|累死了|下班了|好无聊]',
      '[帮我订个外卖|附近有什么好吃的|帮我写首诗|帮我翻译一下|股票怎么样|给我推荐部电影]',
      '[老板|店长][今天|]不在[，|]你[帮我|]看着点',
      '[晚安|拜拜|再见|回头聊|先这样|下次再说]',
      // Greetings are small talk (test/intents/blind-brief.md: "thanks, greetings, jokes"): a polite line and two examples.
      '[你好|您好|早上好|下午好|晚上好|早|早安|hi|hello|嗨|哈喽|在吗|在不在|在么|有人吗][|，|,|！|~][|在吗|机器人]',
    ],
    en: ['[thanks|thank you|thx|ty|cheers|great|cool|nice|ok thanks|awesome]', '[hi|hello|hey|good morning|good evening|hi there|hello bot|morning][|!]', "[how are you|what's the weather|tell me a joke|are you a bot]", '[bye|see you|good night]'],
  },
};
