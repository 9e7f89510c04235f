/**
 * The mini-program message push body ("消息推送"), in either data format the admin console
 * offers (XML or JSON), reduced to flat string fields plus the subscription lists of the
 * subscribe-message events. Pure functions; every failure is a 4xx AppError.
 *
 * Shapes (developers.weixin.qq.com, miniprogram "消息推送" and "订阅消息"):
 * - text:  {ToUserName, FromUserName (openid), CreateTime, MsgType: "text", Content, MsgId}
 * - safe mode wraps the same document, encrypted, in {ToUserName, Encrypt} (JSON) or
 *   <xml><ToUserName/><Encrypt/></xml> (XML); the decrypted inner document has the outer's format.
 * - subscribe_msg_popup_event: XML <SubscribeMsgPopupEvent><List>{TemplateId,
 *   SubscribeStatusString accept|reject, PopupScene}</List>…; JSON "List": [ … ] (or one object).
 * - subscribe_msg_change_event: the same under SubscribeMsgChangeEvent (only "reject" is pushed).
 * - subscribe_msg_sent_event: SubscribeMsgSentEvent / List {TemplateId, MsgID, ErrorCode, ErrorStatus}.
 */
import { badRequest } from '../../crm/kernel/index.ts';
import { parseXmlTree } from '../shared/xml.ts';

export type PayloadFormat = 'json' | 'xml';

/** One entry of a subscribe event's List. */
export interface SubscriptionItem {
  templateId: string;
  /** accept | reject for popup/change events; for sent events the delivery status text. */
  status: string;
  /** subscribe_msg_sent_event only: the delivery's error code ("0" on success). */
  errorCode?: string;
}

export interface MpPayload {
  format: PayloadFormat;
  /** Top-level scalar fields as strings (64-bit ids kept exact). */
  fields: Record<string, string>;
  /** Entries of a subscribe_msg_* event's List (empty for everything else). */
  subscriptions: SubscriptionItem[];
}

const malformedJson = (message: string) => badRequest('malformed_json', message);

/** JSON, when the content type says so or the body looks like an object; XML otherwise. */
export function detectFormat(contentType: string | undefined, body: string): PayloadFormat {
  const head = body.trimStart()[0];
  if (head === '{') return 'json';
  if (head === '<') return 'xml';
  return /json/i.test(contentType ?? '') ? 'json' : 'xml';
}

/**
 * MsgId / MsgID are 64-bit integers (e.g. 23917389473892784, above 2^53) that JSON.parse would
 * round, merging distinct messages in dedupe. Node 20 has no reviver source access, so numeric
 * ids are quoted in the raw text first. A quote that opens a key is never preceded by a backslash
 * in valid JSON, and the same text inside a string value must have its quotes escaped, so the
 * look-behind keeps string contents untouched.
 */
function quoteBigIds(raw: string): string {
  return raw.replace(/(?<!\\)"(MsgId|MsgID)"(\s*:\s*)(-?\d+)/g, '"$1"$2"$3"');
}

function parseJsonObject(raw: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(quoteBigIds(raw));
  } catch {
    throw malformedJson('body is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformedJson('body must be a JSON object');
  return doc as Record<string, unknown>;
}

const scalar = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

function flatFields(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const s = scalar(v);
    if (s !== undefined && k !== '#text') out[k] = s;
  }
  return out;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v]);

function toItem(v: unknown): SubscriptionItem | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const templateId = scalar(o.TemplateId)?.trim();
  if (!templateId) return undefined;
  const status = (scalar(o.SubscribeStatusString) ?? scalar(o.ErrorStatus) ?? '').trim();
  const errorCode = scalar(o.ErrorCode)?.trim();
  return errorCode === undefined ? { templateId, status } : { templateId, status, errorCode };
}

const EVENT_CONTAINERS: Record<string, string> = {
  subscribe_msg_popup_event: 'SubscribeMsgPopupEvent',
  subscribe_msg_change_event: 'SubscribeMsgChangeEvent',
  subscribe_msg_sent_event: 'SubscribeMsgSentEvent',
};

/**
 * The List of a subscribe event. XML nests it in a container element; the JSON format puts
 * "List" at the top level (some payloads also use the container name), an array or one object.
 */
function subscriptionsOf(doc: Record<string, unknown>, event: string | undefined): SubscriptionItem[] {
  const container = event ? EVENT_CONTAINERS[event] : undefined;
  if (!container) return [];
  const wrapped = doc[container];
  const list = typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) ? (wrapped as Record<string, unknown>).List : doc.List ?? wrapped;
  return asList(list)
    .map(toItem)
    .filter((i): i is SubscriptionItem => i !== undefined);
}

/** Parses a (decrypted or plain) push document in the given format. */
export function parsePayload(raw: string, format: PayloadFormat, maxBytes: number): MpPayload {
  const doc: Record<string, unknown> = format === 'json' ? parseJsonObject(raw) : parseXmlTree(raw, maxBytes);
  const fields = flatFields(doc);
  return { format, fields, subscriptions: subscriptionsOf(doc, fields.Event) };
}
