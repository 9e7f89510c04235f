/**
 * Template cards and markdown for the qyapi fake (test/fakes/qyapi.ts registers these routes),
 * checking the fields Tencent documents and answering as the real API does:
 *
 *   POST /cgi-bin/message/send  msgtype `template_card` → {errcode, errmsg, invaliduser, …, msgid, response_code}
 *        card_type one of text_notice | news_notice | button_interaction | vote_interaction | multiple_interaction;
 *        the interactive types need task_id (digits, letters, `_-@`, ≤ 128 bytes, never reused in the app)
 *        and main_title.title; button_interaction needs 1–6 button_list entries, each with text and a unique
 *        key (≤ 1024 bytes); vote_interaction a checkbox with 1–20 options and a submit_button. A refused
 *        card answers 40058 (invalid parameter), as WeCom answers a bad field; response_code comes back for
 *        the interactive types only.
 *   POST /cgi-bin/message/send  msgtype `markdown` → as text: markdown.content required (44004), cut at 2048 bytes.
 *   POST /cgi-bin/message/update_template_card  {userids, agentid, response_code, button: {replace_name} | template_card}
 *        → {errcode, errmsg, invaliduser}. A response_code works once and only for the card it was issued for
 *        (by the send, or by a click: `clickCode`); an unknown or spent one answers 40058.
 */
import { randomBytes } from 'node:crypto';

export interface SentCard {
  touser: string;
  taskId: string;
  cardType: string;
  card: Record<string, unknown>;
  responseCode: string;
  at: Date;
}

export interface CardUpdateCall {
  userids: string[];
  taskId: string;
  responseCode: string;
  /** button.replace_name, when the update turned the buttons into one disabled button. */
  replaceName?: string;
  /** The new card, when the update replaced the whole card. */
  card?: Record<string, unknown>;
  /** Whether the code came from message/send or from a click. */
  via: 'send' | 'click';
  at: Date;
}

export interface FakeCards {
  /** Template cards accepted, in order. */
  readonly sent: SentCard[];
  /** update_template_card calls accepted, in order. */
  readonly updates: CardUpdateCall[];
  /** Markdown messages accepted (also in the fake's `sent`, with their content). */
  readonly markdown: { touser: string; content: string; at: Date }[];
  /** Template cards refused (40058), with the reason. */
  readonly refused: { reason: string; body: Record<string, unknown> }[];
  /** The response_code a click on this card carries (WeCom's template_card_event ResponseCode): fresh, usable once. */
  clickCode(taskId: string): string;
}

/** What the routes borrow from the fake they are registered in. */
export interface CardRouteHost {
  checkToken(token: string | null): Record<string, unknown> | undefined;
  /** The fake's message/send: records the message in `sent` (with `content`) and answers as WeCom does. */
  send(q: URLSearchParams, raw: string): Record<string, unknown>;
  errmsgOf(errcode: number): string;
  agentId?: number | string;
}

const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);
const CARD_TYPES = new Set(['text_notice', 'news_notice', ...INTERACTIVE]);
const TASK_ID = /^[A-Za-z0-9_\-@]{1,128}$/;

export function createCardRoutes(host: CardRouteHost): FakeCards & {
  owns(path: string, raw: Buffer): boolean;
  handle(path: string, q: URLSearchParams, raw: string): Record<string, unknown>;
} {
  const sent: SentCard[] = [];
  const updates: CardUpdateCall[] = [];
  const markdown: FakeCards['markdown'] = [];
  const refused: FakeCards['refused'] = [];
  const taskIds = new Set<string>();
  /** response_code → the card it updates, and where it came from; deleted once used. */
  const codes = new Map<string, { taskId: string; via: 'send' | 'click' }>();
  const invalid = (reason: string, body: Record<string, unknown>) => {
    refused.push({ reason, body });
    return { errcode: 40058, errmsg: host.errmsgOf(40058) };
  };

  /** Why a template card is refused, or undefined when WeCom would take it. */
  function cardProblem(card: Record<string, unknown> | undefined): string | undefined {
    if (!card || typeof card !== 'object') return 'template_card missing';
    const type = String(card.card_type ?? '');
    if (!CARD_TYPES.has(type)) return `card_type ${type || '(none)'} unknown`;
    if (!INTERACTIVE.has(type)) return undefined;
    const taskId = card.task_id;
    if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) return 'task_id missing or not digits, letters and _-@ (≤ 128 bytes)';
    if (taskIds.has(taskId)) return 'task_id used before in this app';
    const title = (card.main_title as { title?: unknown } | undefined)?.title;
    if (typeof title !== 'string' || title === '') return 'main_title.title missing';
    if (type === 'button_interaction') {
      const buttons = card.button_list;
      if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6) return 'button_list must have 1 to 6 buttons';
      const keys = new Set<string>();
      for (const b of buttons as Record<string, unknown>[]) {
        if (typeof b.text !== 'string' || b.text === '') return 'button text missing';
        if ((b.type ?? 0) === 0) {
          if (typeof b.key !== 'string' || b.key === '' || Buffer.byteLength(b.key) > 1024) return 'button key missing or over 1024 bytes';
          if (keys.has(b.key)) return 'button keys repeat';
          keys.add(b.key);
        }
      }
    }
    if (type === 'vote_interaction') {
      const box = card.checkbox as { option_list?: unknown } | undefined;
      if (!box || !Array.isArray(box.option_list) || box.option_list.length < 1 || box.option_list.length > 20) return 'checkbox.option_list must have 1 to 20 options';
      if (!card.submit_button) return 'submit_button missing';
    }
    return undefined;
  }

  function sendCard(q: URLSearchParams, raw: string, body: Record<string, unknown>): Record<string, unknown> {
    const bad = host.checkToken(q.get('access_token'));
    if (bad) return bad;
    const card = body.template_card as Record<string, unknown> | undefined;
    const problem = cardProblem(card);
    if (problem) return invalid(problem, body);
    const reply = host.send(q, raw);
    if (reply.errcode !== 0) return reply;
    const taskId = String(card!.task_id ?? '');
    if (!INTERACTIVE.has(String(card!.card_type))) return reply;
    taskIds.add(taskId);
    const responseCode = randomBytes(24).toString('base64url');
    codes.set(responseCode, { taskId, via: 'send' });
    sent.push({ touser: String(body.touser ?? ''), taskId, cardType: String(card!.card_type), card: card!, responseCode, at: new Date() });
    return { ...reply, response_code: responseCode };
  }

  function sendMarkdown(q: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
    const content = (body.markdown as { content?: unknown } | undefined)?.content;
    if (typeof content !== 'string' || content === '') return host.checkToken(q.get('access_token')) ?? { errcode: 44004, errmsg: host.errmsgOf(44004) };
    // Recorded by the fake's own send, as a text would be (its content is what the member reads).
    const reply = host.send(q, JSON.stringify({ ...body, text: { content: typeof content === 'string' ? content : '' } }));
    if (reply.errcode === 0 && typeof content === 'string') markdown.push({ touser: String(body.touser ?? ''), content, at: new Date() });
    return reply;
  }

  function update(q: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
    const bad = host.checkToken(q.get('access_token'));
    if (bad) return bad;
    if (host.agentId !== undefined && String(body.agentid) !== String(host.agentId)) return { errcode: 40056, errmsg: host.errmsgOf(40056) };
    const code = String(body.response_code ?? '');
    const issued = codes.get(code);
    if (!issued) return invalid('response_code unknown or already used', body);
    const replaceName = (body.button as { replace_name?: unknown } | undefined)?.replace_name;
    const card = body.template_card as Record<string, unknown> | undefined;
    if (typeof replaceName !== 'string' && !card) return invalid('button.replace_name or template_card required', body);
    const userids = Array.isArray(body.userids) ? body.userids.map(String) : [];
    if (userids.length === 0 && body.atall !== 1) return invalid('no recipients (userids, partyids, tagids or atall)', body);
    codes.delete(code); // a response_code works once
    updates.push({ userids, taskId: issued.taskId, responseCode: code, ...(typeof replaceName === 'string' ? { replaceName } : {}), ...(card ? { card } : {}), via: issued.via, at: new Date() });
    return { errcode: 0, errmsg: 'ok', invaliduser: [] };
  }

  return {
    sent,
    updates,
    markdown,
    refused,
    clickCode(taskId) {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { taskId, via: 'click' });
      return code;
    },
    owns(path, raw) {
      if (path === '/cgi-bin/message/update_template_card') return true;
      if (path !== '/cgi-bin/message/send') return false;
      return /"msgtype"\s*:\s*"(?:template_card|markdown)"/.test(raw.toString('utf8'));
    },
    handle(path, q, raw) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return { errcode: 47001, errmsg: host.errmsgOf(47001) };
      }
      if (path === '/cgi-bin/message/update_template_card') return update(q, body);
      return body.msgtype === 'markdown' ? sendMarkdown(q, body) : sendCard(q, raw, body);
    },
  };
}
