import { SyncCallError, type Activity, type ChangedPage, type CrmConnector, type FieldValues, type RemoteContact } from '../../crm/sync/index.ts';
import type { Services } from '../../services.ts';
import { createWeilingClient, type WeilingClientConfig } from './client.ts';
import { fromWire, toWire, type WireContact } from './wire.ts';

/**
 * The 卫瓴 connector: the sync port over 卫瓴's open API. Paths marked "documented" are in
 * 卫瓴API文档 as we found it; the others follow its section names and are assumptions to check
 * against the tenant's documentation (docs/sync.md, "What we could not confirm").
 */
export const PATHS = {
  batch: '/openapi/contact/batch', // documented: 19.2 联系人批量详情
  create: '/openapi/contact/create', // 4.1 联系人单条创建
  edit: '/openapi/contact/edit', // 4.4 联系人编辑
  discard: '/openapi/contact/discard', // 4.6 联系人废弃
  byContactWay: '/openapi/contact/get_by_contact_way', // 4.10 根据联络方式查询联系人
  query: '/openapi/contact/query', // 4.3 联系人查询 (by update time, paged)
  thirdToInner: '/openapi/third/thirdid_to_innerid', // 7.1 三方ID查询卫瓴ID
  addThird: '/openapi/third/add_thirdid', // 7.2 新增三方ID
  objectTags: '/openapi/tag/object_tag_update', // 12.2 对象标签更新-新版
  journey: '/openapi/v2/event/create', // documented: 9.1 创建旅程-新版 ({id, type 0 联系人, event_list[{index, title, content, create_time}]})
  journeyList: '/openapi/v2/event/list', // 9.x 旅程查询 (by contact): assumed
  progress: '/openapi/progress/create', // 8.2 跟进记录创建-新版
  progressList: '/openapi/progress/list', // 8.x 跟进记录查询 (by contact): assumed
} as const;

/** 9.1's `type`: the entry is on a contact (documented: 0 联系人, 3 企业). */
const ON_CONTACT = 0;

/**
 * 9.1 takes no id of ours and says nothing of deduplication, so an entry whose answer was lost
 * could be added twice on retry. Our key goes at the end of the content (`#crm:order:…`); before
 * re-adding an entry whose earlier attempt failed, the sync asks whether one with the key is
 * already on the contact (hasActivity: the list paths are assumed, docs/sync.md).
 */
export const keyMark = (key: string) => `#crm:${key}`;
const withKey = (a: Activity) => `${a.kind === 'follow_up' ? `${a.title}：` : ''}${a.content} ${keyMark(a.key)}`;

export function createWeilingConnector(services: Services, cfg: WeilingClientConfig): CrmConnector {
  const api = createWeilingClient(services, cfg);
  return {
    name: 'weiling',
    label: '卫瓴',
    async findContact({ thirdId, phone }) {
      const byThird = await api.call<{ success_list?: { third_id: string; inner_user_id: string }[] }>(PATHS.thirdToInner, { third_ids: [thirdId] });
      const hit = byThird?.success_list?.find((s) => s.third_id === thirdId)?.inner_user_id;
      if (hit) return hit;
      if (!phone) return null;
      const byPhone = await api.call<{ contact_ids?: string[] }>(PATHS.byContactWay, { contact_way: phone });
      return byPhone?.contact_ids?.[0] ?? null;
    },
    async createContact(fields: FieldValues, tags: string[]) {
      const data = await api.call<{ contact_id: string }>(PATHS.create, { ...toWire(fields), tag_names: tags });
      return data.contact_id;
    },
    async updateContact(remoteId, fields) {
      await api.call(PATHS.edit, { contact_id: remoteId, ...toWire(fields) });
    },
    async discardContact(remoteId) {
      await api.call(PATHS.discard, { contact_id: remoteId });
    },
    async registerThirdId(remoteId, thirdId) {
      await api.call(PATHS.addThird, { inner_user_id: remoteId, third_id: thirdId });
    },
    async updateTags(remoteId, add, remove) {
      await api.call(PATHS.objectTags, { object_id: remoteId, add_tag_names: add, remove_tag_names: remove });
    },
    async addActivity(remoteId, a: Activity) {
      if (a.kind === 'follow_up') {
        await api.call(PATHS.progress, { business_related_id: remoteId, content: withKey(a), create_time: a.at.getTime() });
        return;
      }
      const data = await api.call<{ fail_list?: { index: number | string; error_msg?: string; error_code?: number }[] }>(PATHS.journey, { id: remoteId, type: ON_CONTACT, event_list: [{ index: 0, title: a.title, content: withKey(a), create_time: a.at.getTime() }] });
      const failed = data?.fail_list?.[0];
      if (failed) throw new SyncCallError(`卫瓴 ${PATHS.journey}: ${failed.error_code ?? ''} ${failed.error_msg ?? 'entry refused'}`, false);
    },
    async hasActivity(remoteId, a: Activity) {
      const mark = keyMark(a.key);
      if (a.kind === 'follow_up') {
        const data = await api.call<{ progress_list?: { content?: string }[] }>(PATHS.progressList, { business_related_id: remoteId });
        return (data?.progress_list ?? []).some((p) => String(p.content ?? '').endsWith(mark));
      }
      const data = await api.call<{ event_list?: { content?: string }[] }>(PATHS.journeyList, { id: remoteId, type: ON_CONTACT });
      return (data?.event_list ?? []).some((e) => String(e.content ?? '').endsWith(mark));
    },
    async getContacts(remoteIds): Promise<RemoteContact[]> {
      const out: RemoteContact[] = [];
      for (let i = 0; i < remoteIds.length; i += 100) {
        const data = await api.call<{ contact_list?: WireContact[] }>(PATHS.batch, { contact_ids: remoteIds.slice(i, i + 100) });
        out.push(...(data?.contact_list ?? []).map(fromWire));
      }
      return out;
    },
    async changedSince(cursor, limit): Promise<ChangedPage> {
      const data = await api.call<{ contact_list?: WireContact[]; next_cursor?: string; has_more?: boolean }>(PATHS.query, { cursor: cursor ?? '', page_size: limit, order_by: 'update_time' });
      return { items: (data?.contact_list ?? []).map(fromWire), cursor: data?.next_cursor ?? cursor, more: Boolean(data?.has_more) };
    },
  };
}
