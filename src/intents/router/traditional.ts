import { readFileSync } from 'node:fs';

/**
 * Simplified ↔ traditional for the characters staff requests use (no package: the set is small).
 * One table for both directions: the classifier's corpus types templates in traditional
 * characters (corpus/styles.ts), and the rule router reads a traditional message in simplified
 * ones, so 會員 / 積分 / 標籤 / 訂單 meet the same keywords and extractors as 会员 / 积分 / 标签 / 订单.
 */
const S2T_PAIRS =
  '会會员員单單积積级級订訂买買签簽标標记記录錄详詳这這个個么麼们們给給发發优優账賬户戶帮幫问問题題还還没沒来來过過动動导導数數据據预預开開关關闭閉处處办辦务務请請谢謝说說话話让讓时時间間几幾条條张張伟偉线線长長门門东東车車业業吗嗎后後里裡点點钱錢额額总總计計统統论論类類层層区區应應该該对對现現实實经經营營报報诉訴换換货貨阅閱复復购購跃躍价價体體态態断斷认認确確执執销銷续續红紅专專风風险險奖獎励勵减減赠贈兑兌达達广廣荐薦佣傭进進访訪电電联聯权權银銀钻鑽图圖画畫档檔况況细細览覽寻尋询詢号號码碼机機样樣为為干幹气氣两兩万萬块塊钟鐘谁誰节節饭飯厅廳欢歡乐樂爱愛宝寶鸡雞鱼魚汤湯饮飲网網络絡无無书書写寫读讀听聽见見觉覺边邊远遠运運从從众眾伤傷负負责責贵貴币幣够夠';
/** Read in simplified only (not used to type the corpus, whose model they would change): store and request words. */
const T2S_EXTRA = '汇匯补補库庫头頭签籤';
const S2T = new Map<string, string>();
const T2S = new Map<string, string>();
for (let i = 0; i + 1 < S2T_PAIRS.length; i += 2) {
  const [s, t] = [S2T_PAIRS[i]!, S2T_PAIRS[i + 1]!];
  if (s === t) continue;
  S2T.set(s, t);
  T2S.set(t, s);
}
for (let i = 0; i + 1 < T2S_EXTRA.length; i += 2) T2S.set(T2S_EXTRA[i + 1]!, T2S_EXTRA[i]!);

export function toTraditional(text: string): string {
  return [...text].map((c) => S2T.get(c) ?? c).join('');
}

/**
 * Traditional → simplified for every character OpenCC knows (traditional-table.json, built by
 * scripts/build-traditional-table.ts from OpenCC's TSCharacters.txt), not only request words:
 * 複購率, 陳靜, 餘額 are read as 复购率, 陈静, 余额. Lazy: read once per process (~20 KB).
 */
let GENERAL_T2S: Map<string, string> | undefined;
function generalT2S(): Map<string, string> {
  if (GENERAL_T2S) return GENERAL_T2S;
  const chars = [...(JSON.parse(readFileSync(new URL('./traditional-table.json', import.meta.url), 'utf8')) as string)];
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < chars.length; i += 2) m.set(chars[i]!, chars[i + 1]!);
  return (GENERAL_T2S = m);
}

/**
 * The message in simplified characters (anything without a simplified form unchanged). Names
 * too: members are stored as staff type them in the mainland, in simplified characters.
 */
export function toSimplified(text: string): string {
  const general = generalT2S();
  return [...text].map((c) => general.get(c) ?? T2S.get(c) ?? c).join('');
}
