import { chinaDayStartMs, HOUR_MS } from '../crm/kernel/index.ts';
import { FIXED_STREAM_SEED } from './fixed-members.ts';
import { drawReferrals } from './koc.ts';
import type { GeneratedMember } from './member.ts';
import { Rng } from './random.ts';
import { ServiceBuilder, type ServiceRecords } from './service-records.ts';
import type { ServiceContext } from './service.ts';
import { AFTER_SALES, COMPLAINT, CONSULTATION, PRAISE, type Phrase, type TicketPhrase } from './service-texts.ts';

/**
 * Hand-written service records of the five fixed demo members, coherent with their documented
 * stories (README "Demo data"); dates move with `now` like their orders. Draws (staff, follow-up
 * times, ticket handling) use a constant stream, so they are the same for every seed — except
 * the invitees of 林晓雯's referrals, who are whichever members this seed has.
 */

const SERVICE_FIXED_STREAM = FIXED_STREAM_SEED ^ 0x7e1c0de5;

const phrase = (list: readonly Phrase[], content: string): Phrase => list.find((p) => p.content === content)!;
const ticketPhrase = (list: readonly TicketPhrase[], title: string): TicketPhrase => list.find((p) => p.title === title)!;

export function fixedService(index: number, g: GeneratedMember, ctx: ServiceContext): ServiceRecords {
  const rng = new Rng(SERVICE_FIXED_STREAM, index);
  const b = new ServiceBuilder(rng, g.member, ctx.nowMs);
  // An instant `daysAgo` days before today at the given China-local hour.
  const at = (daysAgo: number, hour: number) => chinaDayStartMs(ctx.today - daysAgo) + hour * HOUR_MS + rng.int(0, 40) * 60_000;
  const lastCampaign = ctx.campaigns.at(-1);
  switch (index) {
    case 0: {
      // 林晓雯, the weekly regular: praise, campaigns, a booking follow-up still pending, and a KOC.
      b.interaction('praise', 'store', at(30, 13), phrase(PRAISE, '表扬服务员态度热情'));
      for (const c of ctx.campaigns.slice(-3)) b.activity(c);
      b.interaction('consultation', 'wechat', at(1, 15), phrase(CONSULTATION, '咨询包间预订'), { followUpDays: [2, 2] });
      const joinedAt = at(300, 14);
      b.koc(joinedAt, drawReferrals(rng, index, joinedAt, ctx.nowMs, 6, ctx));
      b.interaction('koc_promotion', 'wechat', at(280, 20), { content: '在朋友圈分享推荐码', outcome: '已登记推广', nextAction: null });
      break;
    }
    case 1: {
      // 陈建国 stopped coming 120 days ago, after two complaints about business dinners; the
      // manager's win-back call is still pending.
      b.complaint(at(140, 20), 'store', phrase(COMPLAINT, '预订的包间被占用'), true);
      b.complaint(at(126, 21), 'call', phrase(COMPLAINT, '上菜慢，等了四十分钟'), true);
      b.interaction('consultation', 'call', at(100, 11), { content: '店长致电挽回，邀请再次光临', outcome: '客户表示考虑', nextAction: '赠送包间券后再次回访' }, { followUpDays: [7, 7], followUpPending: true });
      break;
    }
    case 2: {
      // 周雨桐, occasional family diner: a consultation and a campaign, never a complaint.
      b.interaction('consultation', 'online', at(95, 19), phrase(CONSULTATION, '咨询儿童餐和宝宝椅'));
      if (lastCampaign) b.activity(lastCampaign);
      break;
    }
    case 3: {
      // 吴浩然 of 上海静安店: an after-sales ticket, resolved.
      b.ticket('after_sales', 'normal', at(45, 12), ticketPhrase(AFTER_SALES, '外卖少送一道菜'));
      b.interaction('praise', 'store', at(20, 19), phrase(PRAISE, '夸奖招牌菜味道好'));
      break;
    }
    case 4: {
      // 孙佳怡 joined 10 days ago: asks about her birthday in the mini-program; follow-up ahead.
      b.interaction('consultation', 'online', at(3, 21), phrase(CONSULTATION, '咨询生日宴套餐'), { followUpDays: [4, 4], byMember: true });
      break;
    }
  }
  return b.done();
}
