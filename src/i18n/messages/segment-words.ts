import type { Messages } from './types.ts';

/** segment.create asked with 圈一批 … and no name: what the group would hold, and how to name it. */
export const segmentWords = {
  zh: {
    needName: '按「{{conditions}}」现在能圈到 {{count}} 人。要保存成人群包，请给它起个名字，例如「圈人 {{example}}：{{conditions}}」。',
    needNameUnparsed: '要圈人，请说名字和条件，例如「圈人 沉睡老客：最近90天没消费」。',
  },
  en: {
    needName: '“{{conditions}}” picks {{count}} members now. To save them as a segment, give it a name, e.g. “create segment {{example}}: {{conditions}}”.',
    needNameUnparsed: 'To pick out a group, give a name and conditions, e.g. “create segment lapsed: 最近90天没消费”.',
  },
} satisfies Messages;
