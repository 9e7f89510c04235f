import { z } from 'zod';

/**
 * How a staff member names one member: by phone, member number or name (at least one). Shared
 * by the intents' slot schemas and the CRM functions, so the LLM tool schema, the rule router
 * and the API all speak the same shape.
 */
export const memberRefSchema = z
  .object({
    phone: z.string().min(1).max(32).optional().describe('mobile phone number, any formatting'),
    memberNo: z.string().min(1).max(16).optional().describe('member number such as M00000001'),
    name: z.string().min(1).max(64).optional().describe("the member's name"),
  })
  .refine((r) => Boolean(r.phone || r.memberNo || r.name), { message: '请提供会员的手机号、会员号或姓名' });

export type MemberRef = z.infer<typeof memberRefSchema>;
