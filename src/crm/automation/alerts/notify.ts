/**
 * Messages to staff (recall progress, summaries, alerts): through the outbound queue (WeCom app
 * message/send) or the group robot, each deduplicated by a caller-chosen key (the BullMQ job id,
 * plus a Redis mark for the robot) and rate-limited to WeCom's rules — 30/min and 1000/hour per
 * recipient (excess is silently dropped by WeCom, so we delay instead), the app's daily cap
 * (beyond it the message is dropped and logged), the robot's 20/min.
 */
import type { Services } from '../../../services.ts';
import type { JourneyDeps } from '../journeys/deps.ts';
import { ROBOT_PER_MINUTE, WECOM_PER_RECIPIENT } from '../journeys/channel-limits.ts';
import { DAY_MS, queueOutbound, rateLimiter } from '../../kernel/index.ts';

export type NotifyResult = 'queued' | 'delayed' | 'duplicate' | 'over_daily_cap' | 'not_configured' | 'sent' | 'failed';

/** message/send needs the corp id, the app's secret and its AgentId (gettoken + agentid). */
export function canPushWeCom(config: Services['config']): boolean {
  return Boolean(config.WECOM_CORP_ID && config.WECOM_SECRET && config.WECOM_AGENT_ID);
}

let warnedUnconfigured = false;

/** A WeCom app message to one staff member, deduplicated by `dedupeKey`. */
export async function notifyStaff(services: Services, userId: string, text: string, dedupeKey: string): Promise<NotifyResult> {
  // Without a WeCom app nothing can reach staff: don't queue jobs that can only fail (the demo
  // data's overdue tickets would otherwise fill the log with failed alerts on every sweep).
  if (!canPushWeCom(services.config)) {
    if (!warnedUnconfigured) services.logger.info('WeCom app not configured (WECOM_CORP_ID, WECOM_SECRET, WECOM_AGENT_ID): staff notifications are not sent');
    warnedUnconfigured = true;
    return 'not_configured';
  }
  const jobId = `staff-${dedupeKey}`.replace(/:/g, '_');
  if (await services.queues.outbound.getJob(jobId)) return 'duplicate';
  const mark = services.key('notify', 'seen', jobId);
  if ((await services.redis.set(mark, '1', 'EX', 30 * 24 * 3600, 'NX')) !== 'OK') return 'duplicate';
  const limiter = rateLimiter(services);
  // The app's daily cap counts China-time days (UTC+8), through the same limiter as every other count.
  if ((await limiter.windows('wecom-app-daily', [{ limit: services.config.WECOM_APP_DAILY_CAP, ms: DAY_MS, offsetMs: 8 * 3_600_000 }])) > 0) {
    services.logger.warn({ userId, dedupeKey }, 'WeCom app daily message cap reached: staff notification dropped');
    return 'over_daily_cap';
  }
  const wait = await limiter.windows(`staff:${userId}`, WECOM_PER_RECIPIENT);
  await queueOutbound(services, 'staff-notify', { channel: 'wecom', to: userId, text }, { jobId, delay: wait });
  return wait > 0 ? 'delayed' : 'queued';
}

/** A group robot message (WECOM_ROBOT_KEY, sent by the robot sender of `deps`), deduplicated and held to 20/min. */
export async function notifyRobot(deps: Pick<JourneyDeps, 'services' | 'senders'>, text: string, dedupeKey: string): Promise<NotifyResult> {
  const { services } = deps;
  const robotKey = services.config.WECOM_ROBOT_KEY;
  const robot = deps.senders.robot;
  if (!robotKey || !robot) return 'failed';
  const mark = services.key('notify', 'robot', dedupeKey);
  if ((await services.redis.set(mark, '1', 'EX', 30 * 24 * 3600, 'NX')) !== 'OK') return 'duplicate';
  const limiter = rateLimiter(services);
  const wait = await limiter.windows(`robot:${robotKey.slice(0, 8)}`, [{ limit: ROBOT_PER_MINUTE, ms: 60_000 }]);
  if (wait > 0) {
    await services.redis.del(mark); // not sent: the next sweep may try again
    return 'delayed';
  }
  const r = await robot.send({ key: dedupeKey, to: '', text });
  if (r.status !== 'sent') {
    await services.redis.del(mark);
    services.logger.warn({ dedupeKey, r }, 'group robot alert not sent');
    return 'failed';
  }
  return 'sent';
}
