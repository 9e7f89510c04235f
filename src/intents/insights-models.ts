import { z } from 'zod';
import { formatDay } from '../crm/kernel/index.ts';
import { modelReport } from '../crm/insights/index.ts';
import { t } from '../i18n/index.ts';
import { modelReportPanel } from './render/charts/model-charts.ts';
import { staffAccess } from './staff.ts';
import { defineIntent } from './types.ts';

const NAMES: Record<string, string> = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', paretonbd: 'Pareto/NBD' };

/** 模型效果 (HQ): how well the customer-base model predicts the chain's last 13 weeks, with the chart, and each store's model. */
export const insightsModels = defineIntent({
  name: 'insights.models',
  audience: 'staff',
  description: "How well the purchase model predicts the chain's members (HQ only): the last 13 weeks held out, predicted vs actual purchases by past frequency and week by week, the churn risk's AUC, and which model (BG/NBD, MBG/NBD or Pareto/NBD) each store uses, with a chart.",
  title: '模型效果（总部）',
  permission: 'churn.read',
  effect: 'read',
  slots: z.object({}),
  examples: [
    { text: '模型效果', slots: {} },
    { text: 'model accuracy', slots: {} },
  ],
  rule: {
    keywords: ['模型效果', '模型准确', '预测准确', '模型验证', 'model accuracy', 'model validation', 'model report'],
    priority: 6,
  },
  async run(ctx) {
    const access = staffAccess(ctx);
    const lang = ctx.lang;
    const r = await modelReport(access);
    const v = r.validation;
    const s = v.summary;
    const name = (m: string) => NAMES[m] ?? m;
    const stores = r.stores.filter((c) => c.storeId > 0);
    // The model the store's scores come from now (the latest scoring run); the race's newer choice after an arrow.
    const applied = (storeId: number) => r.scoredWith?.stores.find((v) => v.storeId === storeId)?.model ?? 'bgnbd';
    const lines = [
      t(lang, 'insights.models.head', { model: name(r.model), from: formatDay(r.calibrationEnd + 1), to: formatDay(r.holdoutEnd) }),
      t(lang, 'insights.models.holdout', { customers: s.customers, predicted: s.predictedHoldout.toFixed(0), actual: s.actualHoldout.toFixed(0) }),
      s.riskAuc === null ? '' : t(lang, 'insights.models.auc', { auc: s.riskAuc.toFixed(3) }),
      r.sampleEvery > 1 ? t(lang, 'insights.models.sample', { every: r.sampleEvery }) : '',
      stores.length ? t(lang, 'insights.models.stores', { list: stores.map((c) => `#${c.storeId} ${name(applied(c.storeId))}${c.basis === 'default' ? '*' : c.model !== applied(c.storeId) ? ` → ${name(c.model)}` : ''}`).join('，') }) : t(lang, 'insights.models.noChoice'),
    ].filter(Boolean);
    const alt = lines.join('\n');
    const chart = modelReportPanel(v, alt);
    return { text: alt, data: r, image: { png: chart.png, alt: chart.alt } };
  },
});
