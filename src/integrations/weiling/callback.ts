import type { InboundEvent } from '../../crm/sync/index.ts';

/**
 * 卫瓴's event callbacks (卫瓴API文档, 事件回调): a POST of `{"header": {"event_type",
 * "time_stamp", "to_app"}, "event": {...}}`, time_stamp in milliseconds. 卫瓴 can also send
 * `{"to_app", "encrypt_msg"}` (decrypted with the callback's token and aesKey); the algorithm is
 * not in the pages we found, so this server refuses encrypted callbacks (docs/sync.md) — configure
 * the callback unencrypted, behind HTTPS and the URL token.
 * Contact event names are not in those pages either: `contact_add`, `contact_update`,
 * `contact_tag_update`, `contact_delete` / `contact_discard`, `contact_merge` are assumed; every
 * other event (WeCom friends `add_customer`, follow-ups `progress_add`, timeline `history_add`,
 * companies, opportunities …) is stored and ignored.
 */
const UPSERT = new Set(['contact_add', 'contact_update', 'contact_edit', 'contact_tag_update', 'contact_restore']);
const DELETE = new Set(['contact_delete', 'contact_discard']);

export type ParseResult = { ok: true; event: InboundEvent } | { ok: false; reason: 'invalid' | 'encrypted' | 'wrong_app' };

export function parseWeilingCallback(raw: string, appId: string): ParseResult {
  let body: { header?: { event_type?: unknown; time_stamp?: unknown; to_app?: unknown }; event?: Record<string, unknown>; encrypt_msg?: unknown };
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (body && typeof body.encrypt_msg === 'string') return { ok: false, reason: 'encrypted' };
  const h = body?.header;
  const ts = Number(h?.time_stamp);
  if (!h || typeof h.event_type !== 'string' || !Number.isFinite(ts) || typeof body.event !== 'object' || body.event === null) return { ok: false, reason: 'invalid' };
  if (h.to_app !== undefined && String(h.to_app) !== appId) return { ok: false, reason: 'wrong_app' };
  const e = body.event;
  const type = h.event_type;
  const id = String(e.contact_id ?? e.customer_id ?? e.company_id ?? e.progress_id ?? '');
  const kind = UPSERT.has(type) ? 'contact_upsert' : DELETE.has(type) ? 'contact_delete' : type === 'contact_merge' ? 'contact_merge' : 'ignored';
  const merged = Array.isArray(e.merged_contact_ids) ? e.merged_contact_ids.map(String) : undefined;
  return { ok: true, event: { type, kind, objectId: id || '-', at: new Date(ts), raw, ...(merged ? { mergedIds: merged } : {}) } };
}

/** The parser the sync's inbound processing uses on stored raw events (already verified). */
export const parseStored = (appId: string) => (raw: string): InboundEvent | null => {
  const r = parseWeilingCallback(raw, appId);
  return r.ok ? r.event : null;
};
