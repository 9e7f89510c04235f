import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { HealthDashboard } from '../../../crm/insights/health/dashboard.ts';
import { cjkFont } from './fonts.ts';
import { healthTrendChart, healthTrendOption } from './health-chart.ts';
import { chartLocale } from './render.ts';

/** Pixels that are not (near) white in an RGBA buffer: ink that text actually put down. */
function inkPixels(pixels: Buffer): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]! > 0 && pixels[i]! + pixels[i + 1]! + pixels[i + 2]! < 600) n++;
  return n;
}

function drawText(text: string, fontFiles: string[], family: string): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/><text x="4" y="28" font-size="20" font-family="${family}" fill="#000">${text}</text></svg>`;
  return inkPixels(Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false, fontFiles, defaultFontFamily: family } }).render().pixels));
}

const day = (s: string) => new Date(`${s}T00:00:00+08:00`);
const dashboard = {
  granularity: 'month',
  stores: [{ id: 1, code: 'SH-XH', name: '徐汇店' }],
  trend: [
    { start: day('2026-09-01'), end: day('2026-10-01'), active: 120, new: 30, aov: 88.5 },
    { start: day('2026-10-01'), end: day('2026-11-01'), active: 140, new: 25, aov: 91.2 },
  ],
} as unknown as HealthDashboard;

describe('charts', () => {
  it('labels in Chinese only when a CJK font can draw them', () => {
    const font = cjkFont();
    if (font) {
      expect(chartLocale()).toBe('zh');
      // The font really draws the glyphs: ink with it, none without any font at all.
      expect(drawText('活跃会员', [font.file], font.family)).toBeGreaterThan(100);
      expect(drawText('活跃会员', [], font.family)).toBe(0);
    } else {
      expect(chartLocale()).toBe('en');
    }
  });

  it('builds the trend in either language with one label per period', () => {
    const zh = healthTrendOption(dashboard, 'zh') as any;
    expect(zh.title.text).toBe('会员健康度：SH-XH，按月（30天）');
    expect(zh.series.map((s: any) => s.name)).toEqual(['活跃会员', '新会员', '客单价（元）']);
    expect(zh.xAxis.data).toEqual(['2026-09-01', '2026-10-01']); // 30-day periods, named by their first day
    expect(zh.series[0].data).toEqual([120, 140]);
    const en = healthTrendOption(dashboard, 'en') as any;
    expect(en.title.text).toBe('Member health: SH-XH, monthly (30 days)');
    expect(en.series.map((s: any) => s.name)).toEqual(['Active buyers', 'New members', 'Avg order value (CNY)']);
  });

  it('renders a PNG of the asked width with a Chinese text alternative', () => {
    const img = healthTrendChart(dashboard, 640, 320);
    expect(img.png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(img.png.readUInt32BE(16)).toBe(640);
    expect(img.alt).toBe('会员健康度趋势（2 期）：活跃会员 120/140，新会员 30/25');
  });
});
