/**
 * The most frequent single surnames of today's census rankings (about 85 % of the population):
 * after one of these, a character is most likely a given name, so the IME homophone fixer leaves
 * it as typed ("陈静来电" is 陈静 calling, not 陈 + 进来 + 电). Rarer surnames that are everyday
 * words at the start of a request (查, 和, 于 as a verb …) are left out, so "查冲值记录" is still read as 充值.
 */
const COMMON = new Set([...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤']);

export const isCommonSurname = (ch: string): boolean => COMMON.has(ch);
