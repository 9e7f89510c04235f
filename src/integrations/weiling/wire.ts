import type { FieldValues, RemoteContact } from '../../crm/sync/index.ts';

/**
 * 卫瓴's wire format of a contact (docs/sync.md, "What maps to what"). Documented (卫瓴API文档,
 * 19.2 联系人批量详情): `contact_id`, `user_name`, `contact_ways[{type, contact_way}]`, `gender`
 * (0 unknown, 1 male, 2 female), `tag_group_list[].tag_info[].tag_name`, `contact_custom`
 * (custom fields by apiName; text values). Our figures have no field of their own there: they go
 * to custom fields named `crm_<field>`, which the administrator creates first.
 */
export interface WireContact {
  contact_id: string;
  user_name?: string;
  contact_ways?: { type: number; contact_way: string }[];
  gender?: number;
  tag_group_list?: { group_name?: string; tag_info?: { tag_name: string }[] }[];
  contact_custom?: Record<string, string | null>;
  update_time?: number;
  create_time?: number;
}

/** contact_ways type of a mobile number (not in the pages we found: assumed 1, docs/sync.md). */
export const MOBILE = 1;
const GENDER_OUT: Record<string, number> = { unknown: 0, male: 1, female: 2 };
const GENDER_IN = ['unknown', 'male', 'female'];
export const CUSTOM_PREFIX = 'crm_';

/** Our fields as 卫瓴's contact body (only the fields given: an edit sends what changed). */
export function toWire(fields: FieldValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const custom: Record<string, string | null> = {};
  for (const [f, v] of Object.entries(fields)) {
    if (f === 'name') body.user_name = v ?? '';
    else if (f === 'phone') body.contact_ways = v ? [{ type: MOBILE, contact_way: v }] : [];
    else if (f === 'gender') body.gender = GENDER_OUT[v ?? 'unknown'] ?? 0;
    else custom[`${CUSTOM_PREFIX}${f}`] = v;
  }
  if (Object.keys(custom).length) body.contact_custom = custom;
  return body;
}

export function fromWire(c: WireContact): RemoteContact {
  const fields: FieldValues = {};
  if (c.user_name !== undefined) fields.name = c.user_name;
  const mobile = c.contact_ways?.find((w) => w.type === MOBILE)?.contact_way;
  if (c.contact_ways) fields.phone = mobile ?? null;
  if (c.gender !== undefined) fields.gender = GENDER_IN[c.gender] ?? 'unknown';
  for (const [k, v] of Object.entries(c.contact_custom ?? {})) if (k.startsWith(CUSTOM_PREFIX)) fields[k.slice(CUSTOM_PREFIX.length)] = v === null || v === undefined ? null : String(v);
  const tags = (c.tag_group_list ?? []).flatMap((g) => (g.tag_info ?? []).map((t) => t.tag_name));
  return { remoteId: c.contact_id, fields, tags, updatedAt: new Date(c.update_time ?? c.create_time ?? 0) };
}
