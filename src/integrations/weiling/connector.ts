import type { Activity, ChangedPage, CrmConnector, FieldValues, RemoteContact } from '../../crm/sync/index.ts';
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
  journey: '/openapi/journey/create', // 9.1 创建旅程-新版 (history_type 999: 自定义事件)
  progress: '/openapi/progress/create', // 8.2 跟进记录创建-新版
} as const;

/** Custom event on the timeline (documented history_type list: 999 自定义事件). */
const CUSTOM_EVENT = 999;

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
      if (a.kind === 'follow_up') await api.call(PATHS.progress, { business_related_id: remoteId, content: `${a.title}：${a.content}`, create_time: a.at.getTime(), third_record_id: a.key });
      else await api.call(PATHS.journey, { customer_id: remoteId, history_type: CUSTOM_EVENT, title: a.title, contents: a.content, create_time: a.at.getTime(), third_event_id: a.key });
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
