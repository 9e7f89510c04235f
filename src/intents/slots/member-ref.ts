import type { ExtractorKind } from '../types.ts';

export { memberRefSchema, withMemberRef, type MemberRef } from '../../crm/customers/index.ts';

/** Rule-router declaration shared by every intent that names one member. */
export const MEMBER_REF_EXTRACT = { phone: 'phone', memberNo: 'memberNo', name: 'name' } as const satisfies Record<string, ExtractorKind>;
export const MEMBER_REF_SLOTS: ('phone' | 'memberNo' | 'name')[] = ['phone', 'memberNo', 'name'];
