import type { CorpusFile } from './generate.ts';

/** Tagging one member, removing a tag, tagging a whole list. */
export const staffTags: CorpusFile = {
  'tag.add': {
    audience: 'staff',
    zh: [
      '给 {m} [打标签|加标签|贴标签|添加标签|打个标签|加个标签|贴个标签] {tag}',
      '[给|帮|帮我给|把]{m}[加上|打上|贴上|添加|加个|打个|贴个|标上]{tag}[标签|的标签|]',
      // Negated or deferred: still this intent's words; the gate answers instead of writing.
      '[不用|不必|先别|暂时不用|别][给|帮]{m}[打|加|贴][上|个|]{tag}[标签|][了|]',
      '[把|将] {m} [标记为|标记成|标为|设为|标成|归为] {tag}',
      '{m} [打上|贴上|加上|加] {tag} [标签|]',
      // A plus sign before a tag ("M00000007 +老客"): a tag to add (before points it is points).
      '{m} [+|＋|+ ]{tag}',
      '{m}[是|算] {tag}[，|,| ][给他|给她|帮忙|][打个标签|标一下|加个标签|打上标签]',
      '[给|帮]{m}[弄|整|搞]个{tag}[标签|的标签]',
      '{tag}[标签|] [给|加给|打给] {m}',
      '{m}[这个人|这位][以后|][算|归到]{tag}[里|那类|]',
      '[把|给]{m}[标一下|标注一下|备注为] {tag}',
      '{m}[加|打]{tag}',
    ],
    en: [
      'tag {m_en} [as|with] {tag}',
      'add [tag|label|the tag] {tag} to {m_en}',
      '[label|mark] {m_en} as {tag}',
      'put a {tag} tag on {m_en}',
      '给 {m} add tag {tag}',
      '{m} tag {tag}',
    ],
  },
  'tag.remove': {
    audience: 'staff',
    zh: [
      '[去掉|删除|删掉|移除|取消|摘掉|去除|拿掉|删了] {m} [的|] {tag} [标签|]',
      '[把|将|帮我把]{m}的{tag}标签[去掉|删了|删掉|拿掉|取消掉|摘了|撤了|去了]',
      '{m}[不再是|已经不是|不算] {tag}[了|]，[把标签去掉|标签删一下|标签摘了|去掉标签]',
      '{m} [的标签|标签] {tag} [取消掉|删掉|去掉|不要了]',
      '[给|帮]{m}[去掉|删掉|撤掉]{tag}[标签|这个标签]',
      '{tag}[这个|][标签|] [从|把] {m} [身上|那里|][去掉|删掉|拿掉]',
      '{m}[身上的|的]{tag}[标签|]打错了[，|,| ][删掉|去掉|撤回]',
      '{m} [去标|去标签|删标|删标签|撤标|撤标签|取消标签|摘标签] {tag}',
      // A minus sign before a tag ("M00000007 -老客"): a tag to take off (before points it is points).
      '{m} [-|－|- ]{tag}',
    ],
    en: [
      'remove [the|] [tag|label] {tag} from {m_en}',
      'untag {m_en} {tag}',
      'delete {m_en}[\'s|] {tag} tag',
      '{m_en} is no longer {tag}, remove the tag',
      'take {tag} off {m_en}',
      '{m} remove tag {tag}',
    ],
  },
  'tag.batch': {
    audience: 'staff',
    zh: [
      '给[流失名单|流失会员|流失预警名单|沉睡会员|流失预警的会员|流失客户|快流失的人|预警名单][都|全部|统一|批量|][打上|打|加上|贴上|标记为] {tag} [标签|]',
      '[把|将][流失名单|流失预警的会员|沉睡会员|流失客户|预警名单里的人][都|全部|全都|批量|一起][打上|加上|贴上|标记为|标成] {tag}[标签|]',
      '[流失名单|流失会员|沉睡会员|流失预警名单][批量|统一|全部|][打标签|加标签|贴标签] {tag}',
      '[批量|一键|统一][给流失会员|给沉睡会员|给流失名单里的人][打|贴|加]{tag}[标签|]',
      '流失[的|][会员|客户|人|老客][全部|都|统统][加|打|标]上{tag}',
      '[那些|这批][快流失的|流失的|沉睡的][会员|客户][都|全部][打个|加个|贴个]{tag}[标签|]',
    ],
    en: [
      'tag [the churn list|all churned members|at-risk members|the at-risk list] [as|with] {tag}',
      'label [every|all] [churned|at-risk] [members|customers] {tag}',
      'batch tag [the churn list|churned members] {tag}',
      'mark [the churn list|all at-risk customers] as {tag}',
      '给 churn list 打标签 {tag}',
    ],
  },
};
