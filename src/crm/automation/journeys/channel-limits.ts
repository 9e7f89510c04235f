/**
 * WeCom's published limits (docs/wecom.md, protocol rules), counted by the kernel's one rate
 * limiter (src/crm/kernel/rate-limit.ts): message/send per recipient — excess is silently dropped
 * by WeCom, so we delay instead —, the group robot's 20/min (130101 "send too fast").
 */
import type { Window } from '../../kernel/index.ts';

export const WECOM_PER_RECIPIENT: Window[] = [
  { limit: 30, ms: 60_000 },
  { limit: 1000, ms: 3_600_000 },
];
export const ROBOT_PER_MINUTE = 20;
