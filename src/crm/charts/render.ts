import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

export interface ChartImage {
  png: Buffer;
  /** Text alternative (also what a channel without images shows). */
  alt: string;
  width: number;
  height: number;
}

/**
 * Renders an ECharts option on the server: ECharts 6 SSR to an SVG string, then resvg to PNG.
 * Labels must be ASCII: neither our machines nor a fresh one has a CJK font, no npm package
 * installed here ships one, and fonts are never downloaded at run time — Chinese stays in the
 * text reply. resvg uses the system fonts (DejaVu/Liberation here) for the Latin labels.
 */
export function renderChartPng(option: echarts.EChartsOption, width: number, height: number, alt: string): ChartImage {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' }, ...option });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
    return { png: Buffer.from(png), alt, width, height };
  } finally {
    chart.dispose();
  }
}
