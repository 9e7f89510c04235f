/**
 * Hand-off to a person on 微信客服 (「分配客服会话」): the member's 转人工 moves the session to the
 * human queue (service_state 2) or, with KF_HANDOFF_SERVICER, to that servicer (3), and the ticket
 * carries the last messages of the session. When the kf itself hands the session to a servicer (a
 * session_status_change event: taken from the queue, transferred, re-opened), the member's ticket is
 * opened or joined the same way, through service's one hand-off (handOff: ticket + store alert).
 */
import { identifyActor } from '../../bot/identify.ts';
import type { ChannelHandoff } from '../../bot/handoff-port.ts';
import type { MemberActor } from '../../bot/types.ts';
import { handOff } from '../../crm/service/index.ts';
import type { Services } from '../../services.ts';
import { SERVICE_STATE, type KfApi } from './api.ts';
import type { KfSessions, TranscriptLine } from './session.ts';

/** A transfer waits this long for the answer it follows (the outbound queue retries within minutes). */
const PENDING_TTL_S = 3600;

const WHO: Record<TranscriptLine['who'], string> = { customer: '顾客', bot: '机器人', servicer: '客服' };

export interface KfHandoff extends ChannelHandoff {
  /**
   * Runs a transfer the hand-off asked for, once the bot's answer to that message went out (or was
   * refused): kf/send_msg works only while the bot has the session (state 0/1), so moving it first
   * would swallow the answer that tells the member their ticket number.
   */
  afterReply(openKfId: string, externalUserId: string): Promise<void>;
  /** The kf gave the session to a servicer (session_status_change 1, 2 or 4): open or join the member's ticket. */
  servicerTook(openKfId: string, externalUserId: string, requestId: string): Promise<void>;
}

export function createKfHandoff(services: Services, api: KfApi, sessions: KfSessions): KfHandoff {
  const servicer = services.config.KF_HANDOFF_SERVICER;
  const pendingKey = (k: string, u: string) => services.key('kf', 'transfer', k, u);

  async function externalIdOf(actor: MemberActor): Promise<string | undefined> {
    const row = await services.db.member.findUnique({ where: { id: actor.memberId }, select: { externalUserId: true } });
    return row?.externalUserId ?? undefined;
  }

  async function linesOf(openKfId: string, u: string): Promise<string[]> {
    return (await sessions.transcript(openKfId, u)).map((l) => `${new Date(l.at).toISOString().slice(11, 16)} ${WHO[l.who]}：${l.text}`);
  }

  return {
    async transcript(actor) {
      const u = await externalIdOf(actor);
      const openKfId = u && (await sessions.route(u));
      return u && openKfId ? linesOf(openKfId, u) : [];
    },

    async transfer(actor, ticketNo) {
      const u = await externalIdOf(actor);
      const openKfId = u && (await sessions.route(u));
      if (!u || !openKfId) return;
      await services.redis.set(pendingKey(openKfId, u), ticketNo, 'EX', PENDING_TTL_S);
    },

    async afterReply(openKfId, u) {
      const ticketNo = await services.redis.get(pendingKey(openKfId, u));
      if (!ticketNo) return;
      try {
        // Only 0 (untreated) and 1 (bot) may be moved by us; 2/3 are with a person already (a repeat 转人工).
        const { state } = await api.serviceState(openKfId, u);
        if (state === SERVICE_STATE.untreated || state === SERVICE_STATE.bot) {
          await api.transServiceState(openKfId, u, servicer ? SERVICE_STATE.person : SERVICE_STATE.queue, servicer);
        }
        await sessions.setWithPerson(openKfId, u, true);
        await services.redis.del(pendingKey(openKfId, u));
      } catch (err) {
        // The ticket is open and the store alerted: the member is not lost if WeCom refuses the move.
        services.logger.error({ err: String(err), ticketNo, openKfId }, '微信客服: service_state/trans failed; the ticket stands');
      }
    },

    async servicerTook(openKfId, u, requestId) {
      await sessions.setWithPerson(openKfId, u, true);
      const actor = await identifyActor(services, { channel: 'wecom_kf', messageId: '', from: u, text: '', receivedAt: services.now(), requestId });
      if (actor?.kind !== 'member') return; // an unbound customer: the servicer sees the chat in WeCom; no ticket to open
      await handOff({ services, actor, channel: 'wecom_kf', requestId }, '', false, await linesOf(openKfId, u));
    },
  };
}
