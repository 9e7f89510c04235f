/**
 * Reading a kf account after its kf_msg_or_event callback ("读取消息", kf/sync_msg): from the
 * persisted cursor, with the callback's Token, page by page while has_more. Each customer text
 * message is recorded in the durable inbox (src/bot/inbox) and its answer job queued
 * (src/jobs/inbox-answer.ts), so it is answered exactly once whatever is read twice; the cursor
 * moves on only after its page is recorded, so a crash reads the page again rather than losing it.
 * Reads of one account take turns (cursor.ts). Every customer message opens the reply window.
 */
import { recordPulled } from '../../bot/inbox/store.ts';
import { answerPulled } from '../../jobs/inbox-answer.ts';
import type { Services } from '../../services.ts';
import type { ReplyWindow } from '../shared/reply-window.ts';
import type { KfApi, KfItem } from './api.ts';
import { readCursor, saveCursor, withSyncLock } from './cursor.ts';
import type { KfHandoff } from './handoff.ts';
import { inboundOf, ORIGIN } from './pulled.ts';
import type { KfSessions } from './session.ts';
import { welcome } from './welcome.ts';

/** Pages read per callback at most (1000 items each); what is left waits for the next callback. */
const MAX_PAGES = 20;
/** How long an item outside the inbox (an event, a servicer's message) is remembered as done: sync_msg returns 3 days. */
const SEEN_TTL_S = 4 * 24 * 3600;

export interface KfSyncDeps {
  services: Services;
  api: KfApi;
  sessions: KfSessions;
  window: ReplyWindow;
  handoff: KfHandoff;
}

export interface SyncReport {
  pages: number;
  items: number;
  /** Customer messages recorded in the inbox by this read (not before). */
  recorded: number;
}

export async function syncKfAccount(deps: KfSyncDeps, openKfId: string, token: string, now: Date): Promise<SyncReport> {
  const { services, api } = deps;
  return withSyncLock(services, openKfId, async () => {
    const report: SyncReport = { pages: 0, items: 0, recorded: 0 };
    let cursor = await readCursor(services, openKfId);
    for (let page = 0; page < MAX_PAGES; page++) {
      const p = await api.syncMsg(openKfId, cursor, token || undefined);
      report.pages++;
      if (p.skipped > 0) services.logger.warn({ openKfId, skipped: p.skipped }, '微信客服: sync_msg items of an unknown shape skipped');
      for (const item of p.items) {
        report.items++;
        if (await take(deps, openKfId, item, now)) report.recorded++;
      }
      // The page is recorded: only now may the cursor pass it.
      await saveCursor(services, openKfId, p.nextCursor);
      cursor = p.nextCursor || cursor;
      if (!p.hasMore) break;
    }
    return report;
  });
}

/** One item; true when it was a customer message recorded in the inbox now. */
async function take(deps: KfSyncDeps, openKfId: string, item: KfItem, now: Date): Promise<boolean> {
  const { services, sessions, window } = deps;
  const kfId = item.open_kfid ?? openKfId;
  const u = item.external_userid ?? item.event?.external_userid;
  if (!u) return false;
  if (item.origin === ORIGIN.customer) {
    const wrote = new Date(Math.min(now.getTime(), (item.send_time ?? now.getTime() / 1000) * 1000));
    // The window opens when the customer wrote (never later than now: the injected clock decides),
    // once per message: a re-read batch must not refill the window's 5 messages of an old message.
    const isNew = await window.open(u, wrote, 'message', item.msgid);
    if (isNew) await sessions.setRoute(u, kfId);
    const msg = inboundOf(item, now, `kf-${item.msgid}`);
    // A person serves the customer: the bot keeps quiet; the line still joins the conversation.
    const quiet = !msg || (await sessions.withPerson(kfId, u));
    const recorded = msg && !quiet ? await recordPulled(services, msg) : false;
    if (msg && isNew) await sessions.note(kfId, u, { at: wrote.getTime(), who: 'customer', text: msg.text });
    // Queued again for a message read again (same job id: nothing added), so a crash between the two is covered.
    if (msg && !quiet) await answerPulled(services, msg);
    return recorded;
  }
  if (await readBefore(services, item.msgid)) return false;
  if (item.origin === ORIGIN.servicer && item.text) {
    await sessions.note(kfId, u, { at: (item.send_time ?? now.getTime() / 1000) * 1000, who: 'servicer', text: item.text.content });
  } else if (item.msgtype === 'event' && item.event) {
    const e = item.event;
    if (e.event_type === 'enter_session') await welcome(services, deps.api, item, now);
    else if (e.event_type === 'session_status_change') {
      // 1 taken from the queue, 2 transferred, 4 re-opened by a servicer: a person serves now (the kf's own hand-off); 3 ended.
      if (e.change_type === 3) await sessions.setWithPerson(kfId, u, false);
      else if (e.change_type === 1 || e.change_type === 2 || e.change_type === 4) await deps.handoff.servicerTook(kfId, u, `kf-${item.msgid}`);
    }
  }
  await markSeen(services, item.msgid);
  return false;
}

const seenKey = (services: Services, msgid: string) => services.key('kf', 'seen', msgid);

/** Whether an item was read (and handled) before: marked once handled, so a read that failed midway is done again. */
async function readBefore(services: Services, msgid: string): Promise<boolean> {
  return (await services.redis.exists(seenKey(services, msgid))) === 1;
}

async function markSeen(services: Services, msgid: string): Promise<void> {
  await services.redis.set(seenKey(services, msgid), '1', 'EX', SEEN_TTL_S);
}
