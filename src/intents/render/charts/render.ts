import type { EChartsOption } from 'echarts';
import { lazyModule } from '../../../crm/kernel/index.ts';
import { cjkFont } from './fonts.ts';

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
  const { Resvg } = resvgModule();
  const chart = echartsModule().init(null, null, { renderer: 'svg', ssr: true, width, height });
  const cjk = cjkFont();
  try {
    const families = [cjk?.family, 'DejaVu Sans', 'Liberation Sans', 'Arial', 'sans-serif'].filter(Boolean).join(', ');
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: families }, ...option });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      fitTo: { mode: 'width', value: width },
      font: { loadSystemFonts: true, fontFiles: cjk ? [cjk.file] : [], defaultFontFamily: cjk?.family ?? 'DejaVu Sans' },
    }).render().asPng();
    return { png: Buffer.from(png), alt, width, height };
  } finally {
    chart.dispose();
  }
}
