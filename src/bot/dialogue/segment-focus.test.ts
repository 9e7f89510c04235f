import { describe, expect, it } from 'vitest';
import { getIntent } from '../../intents/catalogue.ts';
import { segmentInFocus } from './segment-focus.ts';
import type { LastAnswer } from './state.ts';

const exporter = getIntent('segment.export')!;
const counter = getIntent('segment.count')!;
const route = (text: string, intent = exporter) => ({ intent: intent.name, slots: { text }, confidence: 0.9 });
const afterCount: LastAnswer = { intent: 'segment.count', slots: { text: '人群包 周末家庭客 现在几个人' }, text: '人群包 周末家庭客 现在几个人' };

describe('segmentInFocus (the segment the conversation is about)', () => {
  it('carries the earlier request to an export or a count that names no segment', () => {
    for (const said of ['拉个表给我', 'export as excel', '导成表格 老板要', 'send me the file']) {
      expect(segmentInFocus(afterCount, exporter, route(said)).slots).toEqual({ text: said, about: '人群包 周末家庭客 现在几个人' });
    }
    expect(segmentInFocus(afterCount, counter, route('刷新一下人数', counter)).slots.about).toBe('人群包 周末家庭客 现在几个人');
  });
  it('keeps what was carried before, and carries nothing after an answer of another area', () => {
    const carried: LastAnswer = { intent: 'segment.count', slots: { text: '几个人', about: '人群包 雨天常客' }, text: '几个人' };
    expect(segmentInFocus(carried, exporter, route('导吧')).slots.about).toBe('人群包 雨天常客');
    const churn: LastAnswer = { intent: 'churn.list', slots: {}, text: '流失名单' };
    expect(segmentInFocus(churn, exporter, route('导出')).slots).toEqual({ text: '导出' });
    expect(segmentInFocus(null, exporter, route('导出')).slots).toEqual({ text: '导出' });
  });
  it('never for an intent without the slot (a segment made anew names its own)', () => {
    const create = getIntent('segment.create')!;
    expect(segmentInFocus(afterCount, create, route('再建一个 雨天常客：最近30天没消费', create)).slots.about).toBeUndefined();
  });
});
