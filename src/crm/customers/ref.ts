import { z } from 'zod';

const memberRefFields = z.object({
  phone: z.string().min(1).max(32).optional().describe('mobile phone number, any formatting'),
  memberNo: z.string().min(1).max(16).optional().describe('member number such as M00000001'),
  name: z.string().min(1).max(64).optional().describe("the member's name"),
});

/**
 * How a staff member names one member: by phone, member number or name (at least one), plus
 * any further fields. Shared by intents' slot schemas and the CRM functions, so the LLM tool
 * schema, the rule router and the API all speak the same shape.
 */
export function withMemberRef<T extends z.ZodRawShape>(extra: T) {
  return memberRefFields
    .extend(extra)
    .refine(hasMemberRef, { message: '请提供会员的手机号、会员号或姓名' });
}

// Typed over the generic's input: TypeScript cannot see the three fields through extend(T).
function hasMemberRef(r: object): boolean {
  const ref = r as MemberRef;
  return Boolean(ref.phone || ref.memberNo || ref.name);
}

export const memberRefSchema = withMemberRef({});
export type MemberRef = z.infer<typeof memberRefFields>;
