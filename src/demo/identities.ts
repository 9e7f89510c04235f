/**
 * The fixed demo identities: stores and staff. They never depend on the seed, so the README,
 * the console page and tests can name them (e.g. chat as `store_manager_01`).
 * Ids are explicit so the rows are identical in every database.
 */

export interface DemoStore {
  id: number;
  code: string;
  name: string;
  city: string;
}

export const DEMO_STORES: readonly DemoStore[] = [
  { id: 1, code: 'SH-XH', name: '上海徐汇店', city: '上海' },
  { id: 2, code: 'SH-JA', name: '上海静安店', city: '上海' },
  { id: 3, code: 'HZ-XH', name: '杭州西湖店', city: '杭州' },
];

/** Share of members whose home store is each store (the flagship is the busiest). */
export const STORE_WEIGHTS = [0.4, 0.35, 0.25] as const;

export type DemoRole = 'admin' | 'hq_operator' | 'marketer' | 'store_manager' | 'agent';

export interface DemoStaff {
  id: number;
  wecomUserId: string;
  name: string;
  role: DemoRole;
  /** Store ids the staff member is attached to (headquarters roles: all of them). */
  storeIds: number[];
}

const ALL = DEMO_STORES.map((s) => s.id);

export const DEMO_STAFF: readonly DemoStaff[] = [
  { id: 1, wecomUserId: 'store_manager_01', name: '李娜', role: 'store_manager', storeIds: [1] },
  { id: 2, wecomUserId: 'hq_ops_01', name: '刘洋', role: 'hq_operator', storeIds: ALL },
  { id: 3, wecomUserId: 'agent_01', name: '黄丽', role: 'agent', storeIds: [1] },
  { id: 4, wecomUserId: 'store_manager_02', name: '张强', role: 'store_manager', storeIds: [2] },
  { id: 5, wecomUserId: 'store_manager_03', name: '陈静', role: 'store_manager', storeIds: [3] },
  { id: 6, wecomUserId: 'agent_02', name: '周俊', role: 'agent', storeIds: [2] },
  { id: 7, wecomUserId: 'marketer_01', name: '赵敏', role: 'marketer', storeIds: ALL },
  { id: 8, wecomUserId: 'admin_01', name: '孙浩', role: 'admin', storeIds: ALL },
];

/** Who tags a member of each store by hand (member_tags.created_by). */
export function storeManagerOf(storeId: number): string {
  return DEMO_STAFF.find((s) => s.role === 'store_manager' && s.storeIds.includes(storeId))?.wecomUserId ?? 'hq_ops_01';
}

/** The staff who serve a store's members (its managers and agents), by staff id. */
export function storeStaff(storeId: number): readonly DemoStaff[] {
  return DEMO_STAFF.filter((s) => (s.role === 'store_manager' || s.role === 'agent') && s.storeIds.includes(storeId));
}
