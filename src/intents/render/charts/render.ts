import type { EChartsOption } from 'echarts';
import { createHash } from 'node:crypto';
import { lazyModule } from '../../../crm/kernel/index.ts';
import { cjkFont, latinFonts } from './fonts.ts';

// Loaded with the first chart, not at start (~25 MB: src/crm/kernel/lazy-module.ts).
const echartsModule = lazyModule<typeof import('echarts')>('echarts');
const resvgModule = lazyModule<typeof import('@resvg/resvg-js')>('@resvg/resvg-js');

export interface ChartImage {
  png: Buffer;
  /** Text alternative (also what a channel without images shows). */
  alt: string;
  width: number;
  height: number;
}

/** The language chart labels can be drawn in on this machine: Chinese only with a CJK font (fonts.ts). */
export function chartLocale(): 'zh' | 'en' {
  return cjkFont() ? 'zh' : 'en';
}

/**
 * Renders an ECharts option on the server: ECharts 6 SSR to an SVG string, then resvg to PNG.
 * Callers pick their labels with chartLocale(): Chinese when a CJK font is installed (given to
 * resvg by file, first in the family list), ASCII otherwise; resvg uses the system fonts
 * (DejaVu/Liberation here) for Latin text either way.
 */
export function renderChartPng(option: EChartsOption, width: number, height: number, alt: string): ChartImage {
  // The same chart (same option, same size) is drawn once: laying out its text is most of a
  // PNG's time. Keyed on the option, not the SVG (ECharts numbers its SVG ids per instance).
  const key = createHash('sha1')
    .update(`${width}x${height}\n${JSON.stringify(option, (_k, v) => (typeof v === 'function' ? String(v) : v))}`)
    .digest('base64');
  let png = drawn.get(key);
  if (png) drawn.delete(key);
  else {
    png = draw(option, width, height);
    if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
  }
  drawn.set(key, png);
  return { png, alt, width, height };
}

function draw(option: EChartsOption, width: number, height: number): Buffer {
  const chart = echartsModule().init(null, null, { renderer: 'svg', ssr: true, width, height });
  const cjk = cjkFont();
  const latin = latinFonts();
  let svg: string;
  try {
    const families = [cjk?.family, ...latin.map((f) => f.family), 'sans-serif'].filter(Boolean).join(', ');
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: families }, ...option });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  // Only the fonts named above, found once per process (fonts.ts) — not every system font per PNG.
  const { Resvg } = resvgModule();
  return Buffer.from(
    new Resvg(svg, {
      fitTo: { mode: 'width', value: width },
      font: { loadSystemFonts: !cjk && !latin.length, fontFiles: [...(cjk ? [cjk.file] : []), ...latin.map((f) => f.file)], defaultFontFamily: cjk?.family ?? latin[0]?.family ?? 'DejaVu Sans' },
    })
      .render()
      .asPng(),
  );
}

/** PNGs drawn lately, by their option and size (least recently used dropped first). */
const drawn = new Map<string, Buffer>();
const DRAWN_MAX = 64;
