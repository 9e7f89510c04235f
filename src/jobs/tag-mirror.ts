/**
 * The outbound job `member-tags-changed` (queued by engagement's writeMemberTags on a staff tag
 * change): mirrors the members' tags onto their WeCom relationships (src/crm/contacts/mirror.ts).
 * Without WeCom configured there is nothing to mirror to.
 */
import { weComClientOf } from '../channels/wecom/index.ts';
import { mirrorMemberTags, type MirrorResult } from '../crm/contacts/index.ts';
import type { Services } from '../services.ts';
import { tagMirrorJobSchema } from './queues.ts';

export const TAG_MIRROR_JOB = 'member-tags-changed';

export async function runTagMirror(services: Services, data: unknown): Promise<MirrorResult | null> {
  const job = tagMirrorJobSchema.parse(data);
  const { WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID } = services.config;
  if (!WECOM_CORP_ID || !WECOM_SECRET || !WECOM_AGENT_ID) return null;
  const result = await mirrorMemberTags(services, weComClientOf(services).contacts, job.memberIds);
  if (result.marked || result.overLimit || result.refused) services.logger.info({ members: job.memberIds.length, ...result }, 'wecom tag mirror');
  return result;
}
