/**
 * Outside messaging providers behind one small interface, so the engine never knows which one
 * it talks to and tests swap only the outside world (docs/architecture.md, conventions):
 * - SMS and email: an HTTP adapter (JSON POST to a configurable URL, `Idempotency-Key` header
 *   = the step's idempotency key, so a resend after a crash in the send window is collapsed by
 *   the provider) and a log-only adapter (no real provider is reachable here).
 * - WeCom external contacts: externalcontact/add_msg_template (企业群发, chat_type single).
 * - Mini-program subscribe messages: the mini-program channel's messenger (quota per template).
 */
import type { Logger } from '../../../logger.ts';
import type { Services } from '../../../services.ts';
import { weComClientOf, type WeComApiClient, type WeComApiReply } from '../../../channels/wecom/index.ts';
import { isAppError } from '../../kernel/index.ts';

export type SendOutcome =
  | { status: 'sent'; providerId?: string }
  | { status: 'unreachable'; reason: string }
  | { status: 'failed'; code: string; message: string; retryable: boolean };

export interface ProviderRequest {
  /** The step's idempotency key (member+journey+enrollment+step). */
  key: string;
  to: string;
  text: string;
  subject?: string;
}

/** SMS / email / any text provider. */
export interface TextProvider {
  readonly name: string;
  /** True when a resend with the same key is collapsed by the provider (safe after a crash mid-send). */
  readonly idempotent: boolean;
  send(req: ProviderRequest): Promise<SendOutcome>;
}

/**
 * JSON POST `{to, text, subject?, ref}` with `Idempotency-Key`. 2xx → sent (`id` of the body);
 * 404/410/422 → unreachable (the provider says the address is bad or unsubscribed); 408/429/5xx
 * and network errors → retryable failure; other 4xx → permanent failure.
 */
export function createHttpProvider(name: string, url: string, timeoutMs = 10_000): TextProvider {
  return {
    name,
    idempotent: true,
    async send(req) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': req.key },
          body: JSON.stringify({ to: req.to, text: req.text, ...(req.subject ? { subject: req.subject } : {}), ref: req.key }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        return { status: 'failed', code: `${name}_unreachable`, message: (e as Error).message, retryable: true };
      }
      const body = (await res.json().catch(() => ({}))) as { id?: unknown; error?: unknown };
      if (res.ok) return { status: 'sent', providerId: body.id == null ? undefined : String(body.id) };
      const message = `${name} provider: HTTP ${res.status}${body.error ? ` ${String(body.error)}` : ''}`;
      if ([404, 410, 422].includes(res.status)) return { status: 'unreachable', reason: message };
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      return { status: 'failed', code: `${name}_http_${res.status}`, message, retryable };
    },
  };
}

/** Writes the message to the log only: the default when no provider URL is configured. */
export function createLogProvider(name: string, logger: Logger): TextProvider {
  return {
    name,
    idempotent: true,
    async send(req) {
      logger.info({ provider: name, to: req.to.replace(/.(?=.{4})/g, '*'), key: req.key, chars: req.text.length }, 'log-only provider: message not sent anywhere');
      return { status: 'sent', providerId: 'log' };
    },
  };
}

/**
 * WeCom 客户联系 mass message to one external contact: POST
 * /cgi-bin/externalcontact/add_msg_template {chat_type:'single', external_userid:[id], sender?, text}.
 * WeCom then asks the sending staff member to confirm; the member receives at most 4 such
 * messages a month from the company. `fail_list` containing the id, or 40096 (invalid external
 * userid) → unreachable; 45009/-1 and transport errors → retryable.
 */
export interface WeComExternalSender {
  send(req: ProviderRequest & { sender?: string }): Promise<SendOutcome>;
}

export function createWeComExternalSender(services: Pick<Services, 'config' | 'redis' | 'logger' | 'key'>, api?: WeComApiClient): WeComExternalSender | undefined {
  const { config } = services;
  if (!config.WECOM_CORP_ID || !config.WECOM_SECRET || !config.WECOM_AGENT_ID) return undefined;
  // The channel's client: token cache, refresh on a rejected token (40014/42001) and retry once.
  const client = api ?? weComClientOf(services);
  return {
    async send(req) {
      let reply: WeComApiReply;
      try {
        reply = await client.post('externalcontact/add_msg_template', { chat_type: 'single', external_userid: [req.to], ...(req.sender ? { sender: req.sender } : {}), text: { content: req.text } });
      } catch (e) {
        if (!isAppError(e)) throw e;
        const details = (e.details ?? {}) as { errcode?: unknown; errmsg?: unknown };
        const errcode = typeof details.errcode === 'number' ? details.errcode : undefined;
        if (errcode === 40096 || errcode === 84061) return { status: 'unreachable', reason: `wecom: ${String(details.errmsg ?? errcode)}` };
        return { status: 'failed', code: errcode === undefined ? e.code : `wecom_${errcode}`, message: e.message, retryable: e.retryable };
      }
      const failList = Array.isArray(reply.fail_list) ? reply.fail_list.map(String) : [];
      if (failList.includes(req.to)) return { status: 'unreachable', reason: 'wecom: not a contact of the sender (fail_list)' };
      return { status: 'sent', providerId: typeof reply.msgid === 'string' ? reply.msgid : undefined };
    },
  };
}

/**
 * Group robot webhook (POST /cgi-bin/webhook/send?key=): staff alerts into a group chat.
 * 130101 / 45009 "send too fast" (20/min per robot) are retryable.
 */
export async function sendRobotText(base: string, robotKey: string, text: string): Promise<SendOutcome> {
  try {
    const res = await fetch(`${base.replace(/\/+$/, '')}/cgi-bin/webhook/send?key=${encodeURIComponent(robotKey)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'text', text: { content: text } }),
      signal: AbortSignal.timeout(10_000),
    });
    const reply = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
    const errcode = reply.errcode ?? (res.ok ? 0 : -1);
    if (errcode === 0) return { status: 'sent' };
    const retryable = errcode === 130101 || errcode === 45009 || errcode === -1;
    return { status: 'failed', code: `robot_${errcode}`, message: reply.errmsg ?? `HTTP ${res.status}`, retryable };
  } catch (e) {
    return { status: 'failed', code: 'robot_unreachable', message: (e as Error).message, retryable: true };
  }
}
