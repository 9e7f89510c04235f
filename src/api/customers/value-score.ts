import { audit, requirePermission, type StaffAccess } from '../../crm/kernel/index.ts';
import { RFM_CELLS, VALUE_QUADRANTS, type RfmCell, type ValueQuadrant } from '../../crm/insights/index.ts';
import { visibleMemberOr404 } from './visible.ts';

export type ValueScore =
  | { customerId: number; available: false; reason: string }
  | {
      customerId: number;
      available: true;
      scoredAt: Date;
      rfm: { r: number | null; f: number | null; m: number | null; score: string | null; cell: string; cellLabel: string | null };
      valueQuadrant: { key: string; label: string | null };
      churn: { risk: string; level: string; reasons: unknown };
      pAlive: string | null;
      expectedPurchases90d: string | null;
      clv: string | null;
    };

/**
 * One customer's value scores as the scoring run (src/crm/insights/scores) last stored them in
 * member_scores: RFM quintiles and cell, value quadrant, churn risk with reasons, BG/NBD and
 * CLV. A read of precomputed figures; nothing is modelled here. Risk figures follow the
 * CRM's rule that they need churn.read. Audited as a member read.
 */
export async function customerValueScore(access: StaffAccess, memberId: number): Promise<ValueScore> {
  requirePermission(access.actor, 'churn.read');
  await visibleMemberOr404(access, memberId, 'member.value_score');
  const s = await access.services.db.memberScores.findUnique({ where: { memberId } });
  await audit(access.services, { actor: access.actor, action: 'member.value_score', targetType: 'member', targetId: String(memberId), channel: access.channel, requestId: access.requestId, detail: { available: Boolean(s) } });
  if (!s) return { customerId: memberId, available: false, reason: 'not scored yet: the scoring run (RFM, churn risk, CLV) has not covered this customer' };
  const dec = (d: { toString(): string } | null) => (d === null ? null : d.toString());
  return {
    customerId: memberId,
    available: true,
    scoredAt: s.scoredAt,
    rfm: { r: s.rfmR, f: s.rfmF, m: s.rfmM, score: dec(s.rfmScore), cell: s.rfmCell, cellLabel: RFM_CELLS[s.rfmCell as RfmCell] ?? null },
    valueQuadrant: { key: s.valueQuadrant, label: VALUE_QUADRANTS[s.valueQuadrant as ValueQuadrant] ?? null },
    churn: { risk: s.churnRisk.toString(), level: s.churnLevel, reasons: s.churnReasons },
    pAlive: dec(s.pAlive),
    expectedPurchases90d: dec(s.expectedPurchases90d),
    clv: s.clv === null ? null : s.clv.toFixed(2),
  };
}
