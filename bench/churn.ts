/**
 * `npm run bench:churn -- [--members N] [--no-score]`: accuracy of the churn risk against the
 * demo data's ground truth (demo_member_truth.alive: the generator's latent state), beside BG/NBD
 * alone and the plain "90 days without an order" rule, measured on the same members in the same
 * run. The generator is a renewal-and-hazard process, not BG/NBD (src/demo/personas.ts), so no
 * model is scored on its own assumptions. Population: members with at least one order, and the
 * harder subset who ordered in the last 180 days. Positive = truly gone (alive = false).
 * Then every smart tag's precision against the truth and the calibration of its confidence
 * (synthetic data: docs/demo-data.md; the real-data figures are CDNOW's, docs/models.md).
 */
import { recomputeScores } from '../src/crm/insights/index.ts';
import { refreshSmartTags } from '../src/crm/engagement/index.ts';
import { auc, BENCH_NOW, benchDatabase, confusion, membersArg } from './support.ts';
import { calibration } from '../src/crm/insights/index.ts';

const members = membersArg();
const sql = await benchDatabase(members);
try {
  if (!process.argv.includes('--no-score')) {
    const r = await recomputeScores(sql, { now: BENCH_NOW });
    await refreshSmartTags(sql, BENCH_NOW, r.tagScores);
    console.log(`scored ${r.members} members in ${(r.ms.total / 1000).toFixed(1)} s (member_stats ${r.stats?.mode}, ${r.stats?.members} members: ${r.ms.stats} ms, read ${r.ms.read} ms, rfm cuts ${r.ms.rfm} ms, fit ${r.ms.fit} ms, churn layer ${r.ms.train} ms, score+load ${r.ms.score} ms, of which apply ${r.ms.apply} ms)`);
    console.log(`BG/NBD (weeks): r=${r.bgnbd?.r.toFixed(3)} alpha=${r.bgnbd?.alpha.toFixed(3)} a=${r.bgnbd?.a.toFixed(3)} b=${r.bgnbd?.b.toFixed(3)}; Gamma-Gamma: p=${r.gammaGamma?.p.toFixed(3)} q=${r.gammaGamma?.q.toFixed(3)} gamma=${r.gammaGamma?.gamma.toFixed(3)}`);
  }
  const [rows] = await sql.query<any[]>(
    `SELECT t.alive, s.churn_risk, s.churn_level, s.p_alive, s.expected_purchases_90d, TIMESTAMPDIFF(DAY, ms.last_order_at, ?) AS days, ms.last_order_at > ? - INTERVAL 365 DAY AS recent
     FROM demo_member_truth t JOIN member_scores s USING (member_id) JOIN member_stats ms USING (member_id) WHERE ms.order_count > 0`,
    [BENCH_NOW, BENCH_NOW],
  );
  const gone = rows.map((r) => !r.alive);
  const risk = rows.map((r) => Number(r.churn_risk));
  const days = rows.map((r) => Number(r.days));
  const pad = (s: string) => s.padEnd(44);
  const f = (v: number) => v.toFixed(3);
  console.log(`\nmembers with orders: ${rows.length}; truly gone: ${gone.filter(Boolean).length} (${((100 * gone.filter(Boolean).length) / rows.length).toFixed(1)}%)`);
  console.log(`${pad('ranking')}AUC`);
  console.log(`${pad('churn model (churn_risk)')}${f(auc(risk, gone))}`);
  console.log(`${pad('  BG/NBD expected purchases 90d (lower=risk)')}${f(auc(rows.map((r) => -Number(r.expected_purchases_90d)), gone))}`);
  console.log(`${pad('  BG/NBD 1 - P(alive)')}${f(auc(rows.map((r) => 1 - Number(r.p_alive)), gone))}`);
  console.log(`${pad('days since last order (continuous)')}${f(auc(days, gone))}`);
  console.log(`${pad('rule: 90 days without order (binary)')}${f(auc(days.map((d) => (d >= 90 ? 1 : 0)), gone))}`);
  console.log(`\n${pad('classifier')}precision recall accuracy flagged`);
  const line = (name: string, pred: boolean[]) => {
    const c = confusion(pred, gone);
    console.log(`${pad(name)}${f(c.precision).padEnd(10)}${f(c.recall).padEnd(7)}${f(c.accuracy).padEnd(9)}${c.flagged}`);
  };
  line('churn model: level high', rows.map((r) => r.churn_level === 'high'));
  line('churn model: level high or medium', rows.map((r) => r.churn_level !== 'low'));
  line('rule: 90 days without order', days.map((d) => d >= 90));
  line('churn list (high, ordered within 365 days)', rows.map((r) => r.churn_level === 'high' && Number(r.recent) === 1));

  // The harder question: among members who still ordered in the last 180 days, who is gone?
  const recent = rows.map((r, i) => i).filter((i) => days[i]! < 180);
  const sub = (f: (i: number) => number) => auc(recent.map(f), recent.map((i) => gone[i]!));
  console.log(`\nordered in the last 180 days: ${recent.length}; truly gone: ${recent.filter((i) => gone[i]).length}`);
  console.log(`${pad('churn model (churn_risk)')}${f(sub((i) => risk[i]!))}`);
  console.log(`${pad('  BG/NBD expected purchases 90d (lower=risk)')}${f(sub((i) => -Number(rows[i].expected_purchases_90d)))}`);
  console.log(`${pad('rule: 90 days without order (binary)')}${f(sub((i) => (days[i]! >= 90 ? 1 : 0)))}`);

  // Smart tags against the truth: precision of the tagged (the tag's claim is in its definition,
  // engagement/smart-tags/smart-tags.ts) and calibration of the confidence.
  const [tagged] = await sql.query<any[]>(
    `SELECT t.name, mt.confidence, tr.alive FROM member_tags mt JOIN tags t ON t.id = mt.tag_id JOIN demo_member_truth tr ON tr.member_id = mt.member_id
     WHERE mt.source = 'model' AND t.name IN ('易流失', '沉睡会员')`,
  );
  console.log(`\n${pad('smart tag (claim: truly gone)')}tagged precision mean confidence ECE`);
  for (const name of ['易流失', '沉睡会员']) {
    const list = tagged.filter((r) => r.name === name);
    const truth = list.map((r) => !r.alive);
    const conf = list.map((r) => Number(r.confidence));
    const precision = truth.filter(Boolean).length / Math.max(list.length, 1);
    const meanConf = conf.reduce((a, b) => a + b, 0) / Math.max(list.length, 1);
    console.log(`${pad(name)}${String(list.length).padEnd(7)}${f(precision).padEnd(10)}${f(meanConf).padEnd(16)}${f(calibration(conf, truth).ece)}`);
  }
  const [quad] = await sql.query<any[]>(
    `SELECT s.value_quadrant AS q, COUNT(*) AS n, SUM(NOT t.alive) AS gone, SUM(s.churn_level = 'high') AS high FROM member_scores s JOIN demo_member_truth t USING (member_id) WHERE s.rfm_cell <> 'no_orders' GROUP BY s.value_quadrant`,
  );
  console.log(`\n${pad('value quadrant')}members truly gone churn level high`);
  for (const q of quad) console.log(`${pad(q.q)}${String(q.n).padEnd(8)}${f(Number(q.gone) / Number(q.n)).padEnd(12)}${q.high}`);
} finally {
  await sql.end();
}
