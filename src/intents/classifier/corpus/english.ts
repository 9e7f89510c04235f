/**
 * More English phrasings per intent, written the way store and regional managers type in a
 * chat: "pull up", "who's at risk", "how many VIPs do we have", imperatives without an object,
 * contractions, no articles. They are appended to the intents' `en` lists (index.ts): the first
 * lists hold 3–12 families per intent, too few for the classifier to learn the request rather
 * than the template (held-out English families scored 60 % on the classifier alone, session 11).
 * Families, not sentences: each is a way of asking, filled with the slot values.
 */
export const MORE_ENGLISH: Readonly<Record<string, readonly string[]>> = {
  'member.lookup': [
    "[who's|whos|who is] [this|the customer|the guest] [on|with] {phone}",
    '[pull up|bring up|get me|grab|show me|show|open] [member|customer|the member|] {phone}',
    '[show me|find|search for] [member|customer|the member|] {m_en}',
    '[any|do we have a|is there a] member [called|named] {m_en}[?|]',
    '[check|look up] [this|the] number {phone} [for me|pls|]',
    '[whose|which member\'s] number is {phone}',
    'member {memberNo} [pls|please|quick|]',
    // A member and the balance asked about, typed tersely ("li na points"): the look-up shows it.
    '{m_en} [points|point balance|balance|pts][?| left| pls|]',
  ],
  'member.summary': [
    "[what's|whats|what is] [the story with|up with|the deal with] {m_en}",
    '[quick|short|] [rundown|brief|background] on {m_en}',
    "[how's|how is] {m_en} [doing|as a customer|looking]",
    '[give me|get me] the [full|whole|complete] [picture|file|history] [on|of|for] {m_en}',
    '{m_en} [360|full view|customer view|overview] [pls|please|]',
    "[i need|need] {m_en}'s [profile|file|details]",
  ],
  'member.orders': [
    "what has {m_en} [bought|ordered|spent] [{period_en}|lately|recently|so far]",
    "[pull up|show|list|get me] {m_en}'s [orders|purchases|transactions|receipts|spending] [{period_en}|]",
    '[orders|purchases|spend|transactions] [for|of|from] {m_en} [{period_en}|]',
    'how much [has|did] {m_en} [spent|spend] [{period_en}|in total|so far|]',
    "[when was|when's] {m_en}'s last [visit|order|purchase]",
  ],
  'member.level': [
    "[what's|what is|whats] {m_en}'s [level|tier|membership level|card level]",
    '[what|which] [level|tier] is {m_en} [on|at|in|]',
    'is {m_en} [gold|silver|a VIP|level 3] [yet|already|]',
    '{m_en} [tier|level][?|]',
    'how far is {m_en} from the next [level|tier]',
  ],
  'member.tickets': [
    '[any|are there any] [open|pending|] [tickets|complaints|cases] [for|from|on] {m_en}',
    'does {m_en} have [any|] [open|pending|] [tickets|complaints|cases]',
    "[show|list|pull up] {m_en}'s [tickets|complaints|service cases|after-sales cases]",
    '[tickets|complaints|cases] [for|from|of] {m_en}',
    "has {m_en} [complained|filed a complaint|raised a ticket] [before|{period_en}|recently|]",
  ],
  'member.interactions': [
    "[show|list|pull up] {m_en}'s [follow-ups|notes|contact history|interactions|call log]",
    '[who|when] [last|] [called|contacted|followed up with] {m_en}',
    "[what's|whats] the [contact|follow-up] history [with|for|of] {m_en}",
    '[notes|follow-ups|interactions] [on|for|with] {m_en} [{period_en}|]',
    // What was said between us and the member: the interactions, not the profile.
    'what did we [talk about|discuss|chat about|go over] with {m_en} [before|last time|lately|]',
    'what have we [discussed|talked about] with {m_en} [lately|recently|so far|]',
    '[any|] [past|previous|earlier] [conversations|talks|chats] with {m_en}[?|]',
    'what did {m_en} [tell us|say to us|mention] [last time|before|when they called|]',
  ],
  'tag.add': [
    '[put|slap|stick] [a|the|] {tag} [tag|label] on {m_en}',
    'make {m_en} [a|] {tag}',
    '{m_en} should be [tagged|] {tag}[, tag her|, tag him| pls|]',
    '[add|tag] {tag} [to|for|on] {m_en} [pls|please|thanks|]',
    // A tag asked for before the member and the tag are said (s25): the bot asks whom.
    "[I need to|I want to|I'd like to|need to|can you] [tag|label] a [customer|member|guest]",
  ],
  'tag.remove': [
    '[take|get] [the|] {tag} [tag|label] off {m_en}',
    "{m_en} [isn't|is not|is no longer|not] {tag} [anymore|any more|], [remove|drop] [it|the tag]",
    '[drop|clear|strip|untag] {tag} [from|on|for] {m_en}',
    '{m_en} [remove|untag|minus] {tag}',
  ],
  'tag.batch': [
    '[tag|label|mark] [all|every one of|everyone on] the [churn list|at-risk members|lapsed members] [as|with] {tag}',
    '[add|put] {tag} [on|to] [everyone|all members] [in segment {seg}|on the churn list|who churned]',
    '[bulk|mass|batch] [tag|add tag] {tag} [to|for] [the churn list|segment {seg}|all lapsed members]',
  ],
  'churn.list': [
    "[who's|whos|who is|who are] [at risk|about to leave|slipping away|going cold|not coming back]",
    "[who|which members|which customers] [haven't|have not|havent] [been in|visited|come in|shown up] [in a while|for {days}|lately]",
    '[at-risk|churn risk|lapsing|dormant] [customers|members|guests] [at {store}|this month|]',
    '[get|pull|give] me [the|a] [churn|at-risk|lapsed] [list|report|names]',
    "[who've|who have] we lost [recently|{period_en}|lately]",
  ],
  'insights.health': [
    '[how are we doing|how are we tracking|how did we do] [on {metric_en}|{period_en}|this month|]',
    "[what's|whats|what is] [our|the] {metric_en} [looking like|at|now] [{period_en}|]",
    '[numbers|kpis|stats|metrics] [for|at] {store} [{period_en}|]',
    "[is|has] [our|the] {metric_en} [up|down|going up|dropping|improved] [{period_en}|]",
    '{metric_en} [at|for] {store} [{period_en}|]',
    'how many new members [this week|{period_en}|so far]',
  ],
  'insights.rfm': [
    '[break down|split|bucket] [our|the] [members|customers] by [value|rfm|recency and spend]',
    '[rfm|value] [buckets|tiers|quadrants|groups] [at {store}|for {store}|]',
    '[who are|which are] our [best|most valuable|champion] customers [by rfm|]',
  ],
  'members.query': [
    'how many [VIPs|vips|gold members|regulars] [do we have|have we got|are there] [at {store}|]',
    '[list|show|get me] [all|] [members|customers] tagged {tag} [at {store}|]',
    '[who|which members|which customers] [are|have] [tagged|got the tag|labelled] {tag}',
    '[count|how many] {tag} [at|in] {store}',
    '[members|customers] [on|at] {level} [or above|and up|]',
    '[number of|total] [members|customers] [at {store}|overall|in total]',
    // A list by level or by tag: the level's or the tag's holders, never one member's level or tags.
    '[level|lv|L] [1|2|3|4|5] [list|members|customers|people|names] [at {store}|please|pls|]',
    '[list|show me|pull up|give me] [all|] [the|] level [1|2|3|4|5] [members|customers|guests]',
    "[who's|who is|who are] [on|at] level [1|2|3|4|5] [at {store}|]",
    "[who's|who is] [tagged|labelled] {tag}",
    '[people|anyone|everyone|customers] tagged {tag} [at {store}|]',
    'who [has|got] the {tag} [tag|label]',
  ],
  'koc.stats': [
    '[who|which members] [brought in|referred|recruited] [the most|most] [people|friends|new members] [{period_en}|]',
    '[referral|koc|ambassador|promoter] [numbers|results|leaderboard|commission] [{period_en}|]',
    "how [many referrals|many people] [has|did] {m_en} [got|get|bring in|referred]",
    "[what's|show] {m_en}'s [referral|koc] [stats|numbers|commission]",
  ],
  'insights.models': [
    '[how reliable|how accurate|how good] [is|are] [the|our] [churn|clv|value|prediction] [model|models|predictions]',
    '[model|prediction] [accuracy|quality|check|backtest] [for {store}|]',
    '[does|do] [the|our] [predictions|models] [hold up|match reality|work]',
  ],
  'sync.status': [
    '[is|has] [the|] [data|CRM|weiling] [synced|syncing|up to date|in sync] [yet|now|]',
    '[any|were there any] sync [errors|failures|problems] [today|{period_en}|]',
    "[when|when's|when was] the last [sync|CRM sync|data sync]",
  ],
  'recall.launch': [
    '[send|shoot|blast] [a|] {amount_en} [coupon|voucher] to [everyone who churned|the at-risk members|lapsed guests|the churn list]',
    '[go ahead and|let\'s|] [recall|win back|bring back] [the|] [lapsed|churned|dormant|at-risk] [members|customers|guests] [with {amount_en}|]',
    '[start|kick off|fire off] [the|a] [win-back|recall|come-back] [campaign|push|offer] [with {amount_en}|]',
    '[get|bring] [the|] [lapsed|churned] [customers|members] back [with a {amount_en} coupon|]',
  ],
  'recall.list': [
    '[what|which] [recalls|win-back campaigns|campaigns] [do we have|have we run|are live|are out]',
    '[show|list|pull up] [the|all|our] [recalls|recall campaigns|win-back campaigns]',
    '[any|are there any] [recalls|campaigns] [running|live|going] [now|right now|]',
  ],
  'recall.stop': [
    '[kill|cancel|stop|pull] [the|that|] recall [{count}|#{count}|now|]',
    "[stop|don't] send[ing|] [any more|more|] [recall|win-back] [coupons|messages|texts]",
    '[shut down|turn off|switch off] [recall|the recall|campaign] [{count}|#{count}|]',
  ],
  'recall.status': [
    '[how many|how many people|how many members] [used|redeemed|came back with] the [recall|win-back] [coupon|voucher|offer]',
    "[how's|how is|how did] [the|our|last] [recall|win-back|campaign] [doing|going|perform|went]",
    '[recall|campaign|win-back] [numbers|redemption|conversion|uptake] [so far|{period_en}|]',
  ],
  'segment.create': [
    '[save|set up|make] [a|an] [audience|segment|list] [called|named] {seg}[:|,| -] {cond}',
    '[new|create] [audience|group|segment] {seg}[:|,| -] {cond}',
  ],
  'segment.count': [
    '[how big|what size] is [segment|the segment|audience] {seg}',
    '[count|number of people|headcount] [in|for] [segment|audience] {seg}',
  ],
  'segment.export': [
    '[send me|give me|export|get me] [segment|audience|the list] {seg} [as excel|as a csv|as a spreadsheet|]',
    '[excel|csv|spreadsheet] [of|for] segment {seg}',
  ],
  'interaction.log': [
    '[note|log] [for|on] {m_en}[:| -] {note_en}',
    '[just|] [spoke to|called|talked to|met] {m_en}[,|:| -] {note_en}[. log it|, note it|, please log|]',
    '[write down|record] [that|] {m_en} {note_en}',
    // The log asked for before its content (s25): the bot asks what to write.
    '[log|record|note down] [something|a note|an interaction|a call|a visit] [for|on|about] {m_en}',
    '[add|write|put] a [note|record|follow-up note] [for|on|about|to] {m_en}',
  ],
  'ticket.create': [
    '{m_en} [has a problem|has an issue|complained][:|,| -] {issue_en}[, open a ticket|, raise a case|]',
    '[log|raise|open] [a|an] [complaint|case|repair|after-sales case] for {m_en}[:|,| -] {issue_en}',
    '[ticket|case] [for|on] {m_en}[:| -] {issue_en}',
    '[open|file|raise|create] a [complaint|repair|after-sales] ticket for [her|him|{m_en}][,|:| -] {issue_en}',
  ],
  'ticket.update': [
    '[mark|set] {ticket} [as|to] [resolved|done|closed|in progress|fixed]',
    '{ticket} [is|was] [fixed|sorted|handled|closed] [now|already|]',
    '[hand|give|pass] {ticket} [to|over to] {staff}',
  ],
  'points.adjust': [
    '[give|top up|credit] {m_en} {points} [points|pts] [for {reason}|]',
    '[take|knock] {points} [points|pts] off {m_en} [for {reason}|]',
    '[+|-]{points} [points|pts] [for|to] {m_en} [{reason}|]',
  ],
  'work.today': [
    "[what's|whats|what is] on [my|the] [list|agenda|plate|to-do] today",
    '[who|which guests|which members] [needs|need] a [call|follow-up|callback] today',
    '[any|which] [tickets|cases] [due|overdue|about to expire|running late] [today|now|]',
    "[today's|todays] [callbacks|follow ups|tasks|work]",
  ],
  'contacts.transfer': [
    '[move|hand over|reassign|transfer] {staff}\'s [customers|contacts|clients] to {staff}',
    '{staff} [is leaving|left|quit][, |: |, ][move|give|pass] [their|her|his] [customers|contacts] to {staff}',
  ],
  'action.confirm': ['[yep|yup|sure|sounds good|go for it|send it|do it now]', '[ok|okay] [send|go|confirm]'],
  'action.cancel': ["[scrap that|hold off|don't send|call it off|not now]", '[no|nah][,|] [cancel|stop|leave it]'],
  help: ['[what can I ask|what do you do|what are the commands|list commands|help me]', '[how do I|how to] [use you|use this bot|get started]'],
  smalltalk: ['[cool thanks|great thanks|perfect thanks|nice one|much appreciated]', "[good morning|morning|hey there|hi bot|you there|anyone there]"],
  'my.points': ["[how many|what's my|whats my] [points|pts|point balance] [now|left|]", '[do I have|got any] points [left|to use|]'],
  'my.level': ["[what|which] [level|tier] am I [on|at|]", '[am I|when will I be] [gold|a VIP|upgraded]'],
  'my.orders': ['[show|list] [my|] [recent|last|past] [orders|purchases|visits]', "[what's|whats] my [order history|spending|total spend]"],
  'my.coupons': ["[what|which] [coupons|vouchers] [have I got|do I have|can I use]", '[any|got any] [deals|offers|vouchers] for me'],
  unsubscribe: ["[no more|stop the|don't send] [messages|texts|promos|marketing][ please| pls|]", '[take me off|remove me from] [the|your] [list|mailing list]'],
  handoff: ['[can I|let me|I need to] [talk|speak] to [someone|a person|staff|the manager]', '[get me|I want] a [human|real person|manager]'],
  'my.tickets': ["[what's|whats|any news on] [happening with|] my [complaint|ticket|refund|repair]", '[is|has] my [complaint|refund|issue] [sorted|done|being handled] [yet|]'],
};
