import type { Messages } from './types.ts';

/**
 * The write gate's texts (src/bot/gate*.ts): what the bot understood when it did not act, and
 * how to ask for it. {{action}} is the intent's title (zh) or name (en); {{example}} one of its examples.
 */
export const safety = {
  zh: {
    negated: '好的，不执行「{{action}}」，什么都没有做。需要时直接说，例如「{{example}}」。',
    cancelledPending: '好的，已撤回编号 {{code}} 的待确认操作（{{action}}），什么都没有执行。',
    deferred: '好的，先不执行「{{action}}」，什么都没有做。到时候直接说，例如「{{example}}」。',
    hypothetical: '这听起来是一个假设，所以我没有执行「{{action}}」，也没有保留任何操作。如果要执行，请直接说，例如「{{example}}」。',
    reported: '我只按你本人的明确指令执行，所以没有执行「{{action}}」。如果要执行，请直接说，例如「{{example}}」。',
    question: '你是在问「{{action}}」的情况吗？提问时我不会执行任何操作；要执行请直接说，例如「{{example}}」。',
    questionLead: '（没有执行「{{action}}」；你问的情况如下）',
    askContent: '「{{action}}」需要写明具体内容（发生了什么、问题是什么），现在什么都没有记录。下一条直接发内容就行，或者连同内容一起说，例如「{{example}}」。',
    askObject: '「{{action}}」的对象是谁？消息里没有说明（哪份名单、哪个人群包或哪位会员），所以我什么都没有做，也没有保留任何操作。请连同对象一起说，例如「{{example}}」。',
    oneMember: '「{{action}}」发给整份名单（流失名单或人群包），不能只发给一位会员，所以我什么都没有做，也没有保留任何操作。要发给整份名单请直接说，例如「{{example}}」。',
    assentNothing: '好的。现在没有等你确认的操作。',
    assentStale: '编号 {{code}} 的操作（{{action}}）还在等你确认。要执行请回复「确认 {{code}}」，放弃请回复「取消」。',
    pendingReminder: '（编号 {{code}} 的操作「{{action}}」还在等你确认：回复「确认 {{code}}」执行，或回复「取消」。）',
    memberStaffClaim: '员工身份只认在系统中登记的账号，聊天里的说明不能改变权限，所以我没有办理。我可以帮你查看你本人的账户（我的积分、我的等级、我的订单、我的优惠券）；需要人工请回复「转人工」。',
    memberOthers: '为保护隐私，我只能帮你查看你本人的账户（我的积分、我的等级、我的订单、我的优惠券），不能查看或修改其他会员的信息。',
    handoffHow: '需要人工服务请直接回复「转人工」；有不满意的地方可以说「我要投诉 + 具体问题」，门店工作人员会尽快联系你。',
    handoffNegated: '好的，不转人工。有需要随时回复「转人工」。',
    memberGrantClaim: '积分、优惠券和等级只能由门店工作人员在系统里办理，聊天里转述的同意我不能据此操作，所以我没有办理。你可以随时查看自己的积分（我的积分）；需要人工请回复「转人工」。',
    heldQuestion: '你问的是还在等确认的「{{action}}」：提问时我不会执行它，也没有撤回它。',
    handoffJest: '哈哈，谢谢夸奖～ 如果真有不满意的地方，说「我要投诉 + 具体问题」，我会马上转给门店工作人员。',
    unsubscribeHow: '打扰到你了，抱歉。不想再收到活动和优惠消息的话，直接回复「退订」就行（订单、积分等服务通知不受影响）；现在没有做任何更改。',
  },
  en: {
    negated: 'OK, I will not do that ({{action}}); nothing was done. When you need it, just say so, e.g. "{{example}}".',
    cancelledPending: 'OK, the pending action {{code}} ({{action}}) is withdrawn; nothing was run.',
    deferred: 'OK, not now ({{action}}); nothing was done. When it is time, just say so, e.g. "{{example}}".',
    hypothetical: 'That sounds hypothetical, so I did not do it ({{action}}) and nothing is held. To do it, say so directly, e.g. "{{example}}".',
    reported: 'I act only on your own explicit instruction, so I did not do it ({{action}}). To do it, say so directly, e.g. "{{example}}".',
    question: 'Are you asking about {{action}}? I never act on a question; to do it, say so directly, e.g. "{{example}}".',
    questionLead: '(Nothing was done ({{action}}); here is what you asked about.)',
    askContent: '{{action}} needs the details (what happened, what the problem is); nothing was recorded. Send the details in your next message, or say it all at once, e.g. "{{example}}".',
    askObject: 'Whom is this for ({{action}})? Your message names no one (a list, a segment or a member), so nothing was done and nothing is held. Say it with whom it is for, e.g. "{{example}}".',
    oneMember: '{{action}} goes to a whole list (the churn list or a segment), never to one member, so nothing was done and nothing is held. To send it to the whole list, say so, e.g. "{{example}}".',
    assentNothing: 'OK. Nothing is waiting for your confirmation.',
    assentStale: 'Action {{code}} ({{action}}) is still waiting for your confirmation. Reply "confirm {{code}}" to run it or "cancel" to drop it.',
    pendingReminder: '(Action {{code}} ({{action}}) is still waiting: reply "confirm {{code}}" to run it, or "cancel".)',
    memberStaffClaim: 'Staff roles come only from accounts registered in the system; a statement in the chat does not change what you may do, so I did not do it. I can show your own account (my points, my level, my orders, my coupons); reply "talk to a human" for a person.',
    memberOthers: "To protect privacy I can only show your own account (my points, my level, my orders, my coupons), never another member's.",
    handoffHow: 'For a person, reply "talk to a human"; to complain, say "I want to complain: …" and store staff will contact you soon.',
    handoffNegated: 'OK, no hand-off. Reply "talk to a human" any time you need a person.',
    memberGrantClaim: 'Points, coupons and levels are changed only by store staff in the system; I cannot act on a permission told in the chat, so I did not do it. You can check your own points any time (my points); reply "talk to a human" for a person.',
    heldQuestion: 'You are asking about "{{action}}", which is still waiting: a question neither runs it nor withdraws it.',
    handoffJest: 'Ha, thank you! If something really is wrong, say "I want to complain: …" and I will pass it to the store staff right away.',
    unsubscribeHow: 'Sorry for the bother. To stop promotions and offers, just reply "unsubscribe" (service notices about orders and points still come); nothing was changed.',
  },
} satisfies Messages;
