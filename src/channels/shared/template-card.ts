/**
 * An answer's card as a WeCom template card (模板卡片; docs/wecom.md, "Cards and confirmations"),
 * the one builder for every WeCom surface that shows cards: the self-built app sends it with
 * message/send (msgtype `template_card`), the AI bot in a `stream_with_template_card` reply. Both
 * kinds are `button_interaction`: its `task_id` names the card in the click's
 * `template_card_event`, and each button's `key` comes back as EventKey. A choice is buttons too,
 * not `vote_interaction`: a clarification offers at most three readings and one tap answers it,
 * where a vote card needs a pick and a submit. Pure: the Workers edge bundles it.
 */
import { CANCEL_KEY, CONFIRM_KEY, type AnswerCard } from '../../bot/types.ts';

/** template_card.button_list: at most 6 buttons; text "建议不超过10个字"; key ≤ 1024 bytes. */
export const MAX_CARD_BUTTONS = 6;
const BUTTON_CHARS = 10;
/** main_title.title "建议不超过36个字"; sub_title_text "建议不超过160个字". */
const TITLE_CHARS = 36;
const SUBTITLE_CHARS = 160;
/** task_id: digits, letters and `_-@`, at most 128 bytes (模板卡片 task_id). */
export const TASK_ID_RE = /^[A-Za-z0-9_\-@]{1,128}$/;

const cut = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s);

/**
 * Buttons in the card's language: the title is already localized by the bot, so a title without
 * Chinese is an English answer. The texts always contain 确认 / 取消 (what staff learn to look for).
 */
const buttonTexts = (title: string) => (/[\u4e00-\u9fff]/.test(title) ? { confirm: '确认', cancel: '取消' } : { confirm: '确认 Confirm', cancel: '取消 Cancel' });

/** The `template_card` object of message/send for an answer's card. */
export function templateCardOf(card: AnswerCard): Record<string, unknown> {
  if (card.kind === 'confirm') {
    const b = buttonTexts(card.title);
    return {
      card_type: 'button_interaction',
      task_id: card.taskId,
      main_title: { title: cut(card.title, TITLE_CHARS) },
      sub_title_text: cut(card.summary, SUBTITLE_CHARS),
      button_list: [
        // style 1 is the emphasised button, 2 the plain one (button_list.style, 1–4).
        { type: 0, text: b.confirm, style: 1, key: CONFIRM_KEY },
        { type: 0, text: b.cancel, style: 2, key: CANCEL_KEY },
      ],
    };
  }
  const options = card.options.slice(0, MAX_CARD_BUTTONS);
  return {
    card_type: 'button_interaction',
    task_id: card.taskId,
    main_title: { title: cut(card.title, TITLE_CHARS) },
    // The full option lines, since a button's text is short.
    sub_title_text: cut(options.map((o) => `${o.key}. ${o.label}`).join('\n'), SUBTITLE_CHARS),
    button_list: options.map((o) => ({ type: 0, text: cut(`${o.key}. ${o.label}`, BUTTON_CHARS), style: 2, key: o.key })),
  };
}
