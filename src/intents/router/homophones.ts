import { readFileSync } from 'node:fs';

/**
 * IME homophone typos, read in general: staff type pinyin and pick a wrong candidate (积份 for
 * 积分, 会圆 for 会员, 标钱 for 标签, 回放 for 回访), so a typo shares its reading with the word
 * meant. The readings come from a general table (pinyin-table.json: the 8105 characters of the
 * 通用规范汉字表, built by scripts/build-pinyin-table.ts from mozillazg/pinyin-data), not from a
 * list of typos seen: any word of the vocabulary (the catalogue's Chinese trigger words) typed
 * with one character swapped for a same-sounding one is read as that word.
 */
const TABLE_PATH = new URL('./pinyin-table.json', import.meta.url);

let readingsOf: Map<string, readonly string[]> | undefined;
/** Toneless readings per character (lazy: read once per process, ~35 KB). */
function readings(): Map<string, readonly string[]> {
  if (readingsOf) return readingsOf;
  const table = JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as Record<string, string>;
  const m = new Map<string, string[]>();
  for (const [syllable, chars] of Object.entries(table)) for (const ch of chars) (m.get(ch) ?? m.set(ch, []).get(ch)!).push(syllable);
  return (readingsOf = m);
}

let syllables: ReadonlySet<string> | undefined;
/** Every toneless syllable of the table ("zhang", "wei" …): what a name typed in pinyin is made of. */
export function pinyinSyllables(): ReadonlySet<string> {
  if (!syllables) {
    const all = new Set<string>();
    for (const rs of readings().values()) for (const r of rs) all.add(r);
    syllables = all;
  }
  return syllables;
}

/** A word made only of pinyin syllables ("zhang", "zhangwei", "xiaowen"). */
export function isPinyin(word: string): boolean {
  const w = word.toLowerCase();
  const ok: boolean[] = [true];
  for (let i = 1; i <= w.length; i++) {
    ok[i] = false;
    for (let j = Math.max(0, i - 6); j < i && !ok[i]; j++) ok[i] = ok[j]! && pinyinSyllables().has(w.slice(j, i));
  }
  return ok[w.length]!;
}

/** The toneless readings of one character ([] for anything the table does not know). */
export const pinyinOf = (ch: string): readonly string[] => readings().get(ch) ?? [];

/**
 * The IME's fuzzy pinyin (模糊音): z/zh, c/ch, s/sh and -in/-ing, -en/-eng are told apart by few speakers
 * and merged by every common IME's fuzzy setting, so 投述 is typed for 投诉 and 定单 for 订单.
 */
const fuzzy = (syllable: string) => syllable.replace(/^([zcs])h/, '$1').replace(/([ie])ng$/, '$1n');

/** Fuzzy readings per character, computed once per character (the router asks per window). */
const fuzzyReadings = new Map<string, readonly string[]>();
const fuzzyOf = (ch: string): readonly string[] => {
  let rs = fuzzyReadings.get(ch);
  if (!rs) fuzzyReadings.set(ch, (rs = pinyinOf(ch).map(fuzzy)));
  return rs;
};

const soundAlike = (a: string, b: string) => {
  const ra = fuzzyOf(a);
  return ra.length > 0 && fuzzyOf(b).some((r) => ra.includes(r));
};

/** The Chinese words of a trigger (a string, or a regex's alternatives): runs of 2–4 Han characters. */
export function hanWords(trigger: string | RegExp): string[] {
  const source = typeof trigger === 'string' ? trigger : trigger.source;
  return (source.match(/\p{Script=Han}+/gu) ?? []).filter((w) => [...w].length >= 2 && [...w].length <= 4 && !GRAMMAR.test(w));
}

/**
 * Words with a grammatical character (给, 一, 这, 了 …) are phrases, not terms: "给力" would
 * turn "给李娜" into "给力娜", "一下" would turn "以下" into "一下". Only terms are read by sound.
 */
const GRAMMAR = /[一二三四五六七八九十这那哪我你他她它给了的是有个么什吗呢吧啊也都还就在和与要不没别上下好再最很太谁啥]/u;

const HAN = /^\p{Script=Han}+$/u;

/**
 * Function characters typed are meant as typed: their rare second reading (给 jǐ, 的 dí, 了 liǎo, 得 děi, 着 zháo,
 * 和 hú) is no typo of a word ("改成给他加50" is no 成绩).
 */
const FUNCTION_CHAR = /[给的了得着地和把被]/u;

export interface HomophoneOptions {
  /**
   * A window's first character is left as typed when the character before it passes this test:
   * after a surname it is most likely a given name (typos.ts passes the common surnames).
   */
  keepAfter?: (ch: string) => boolean;
  /** Real words that sound like a vocabulary word (来店 ~ 来电): locked as typed, like the vocabulary's own. */
  real?: Iterable<string>;
}

/**
 * A fixer over `vocabulary`: every window of the text as long as a vocabulary word, that is not
 * itself a vocabulary word, differs from one in exactly one character, and that character sounds
 * the same, becomes the word. Words of two to four characters only; at least one character
 * must be typed right, so a name (王芳) never turns into a word by sound alone. Earlier, longer
 * words win; windows overlapping a word already in the text are left alone.
 */
export function createHomophoneFixer(vocabulary: Iterable<string>, options: HomophoneOptions = {}): (text: string) => string {
  const words = [...new Set([...vocabulary].filter((w) => HAN.test(w) && [...w].length >= 2 && [...w].length <= 4))];
  const real = [...new Set([...(options.real ?? [])].filter((w) => HAN.test(w)))];
  // Real words only lock their windows; they are never what a typo is fixed to.
  const known = new Set([...words, ...real]);
  // Index: for each word and each position, the word with that position blanked.
  const byPattern = new Map<string, string[]>();
  for (const w of words) {
    const cs = [...w];
    cs.forEach((_, i) => {
      const key = `${cs.length}:${cs.map((c, j) => (j === i ? '_' : c)).join('')}`;
      (byPattern.get(key) ?? byPattern.set(key, []).get(key)!).push(w);
    });
  }
  const lengths = [...new Set(words.map((w) => [...w].length))].sort((a, b) => b - a);
  const lockLengths = [...new Set([...words, ...real].map((w) => [...w].length))].sort((a, b) => b - a);
  const charsOf = new Map(words.map((w) => [w, [...w]]));
  return (text: string) => {
    const cs = [...text];
    // Per position, how many Han characters start there in a row: a window of n characters is all
    // Han when this is ≥ n. Rewrites put Han characters where Han characters were, so it stays true.
    const hanRun = new Array<number>(cs.length + 1).fill(0);
    for (let i = cs.length - 1; i >= 0; i--) hanRun[i] = HAN_CHAR.test(cs[i]!) ? hanRun[i + 1]! + 1 : 0;
    // Vocabulary words and their patterns are all Han: a text without two Han characters in a row has nothing to fix.
    if (!hanRun.some((r) => r >= 2)) return text;
    // Characters inside a vocabulary word as typed are never rewritten.
    const locked = new Array<boolean>(cs.length).fill(false);
    for (const n of lockLengths) for (let i = 0; i + n <= cs.length; i++) if (hanRun[i]! >= n && known.has(join(cs, i, n))) for (let j = i; j < i + n; j++) locked[j] = true;
    for (const n of lengths) {
      for (let i = 0; i + n <= cs.length; i++) {
        if (hanRun[i]! < n) continue;
        for (let k = 0; k < n; k++) {
          if (locked[i + k]) continue;
          if (k === 0 && i > 0 && options.keepAfter?.(cs[i - 1]!)) continue;
          const candidates = byPattern.get(`${n}:${join(cs, i, k)}_${join(cs, i + k + 1, n - k - 1)}`);
          if (!candidates) continue;
          const typed = cs[i + k]!;
          if (FUNCTION_CHAR.test(typed)) continue;
          const word = candidates.find((w) => soundAlike(typed, charsOf.get(w)![k]!));
          if (!word) continue;
          cs[i + k] = charsOf.get(word)![k]!;
          for (let j = i; j < i + n; j++) locked[j] = true;
          break;
        }
      }
    }
    return cs.join('');
  };
}

const HAN_CHAR = /\p{Script=Han}/u;

/** cs[from … from + n) as one string. */
function join(cs: readonly string[], from: number, n: number): string {
  let s = '';
  for (let j = from; j < from + n; j++) s += cs[j];
  return s;
}

/** Latin words of a message, the apostrophe of pinyin ("jing'an") inside. */
const LATIN_WORD = /[A-Za-z]+(?:'[A-Za-z]+)*/g;

/**
 * A message typed in pinyin with the IME left unswitched ("liushi mingdan kan yixia", "jifen
 * duoshao", "ke dan jia 多少 这周"): when every Latin word in it is made of pinyin syllables, the
 * words of `vocabulary` it spells — joined or spaced, any reading of a polyphonic character — are
 * read as the Han words they sound like (流失名单, 积分, 客单价); the rest stays as typed. Words of
 * two characters or more only: one syllable alone (zhou, fang, jia) is as likely part of a name
 * typed in pinyin ("zhou jie"), which is kept as typed (docs/intents.md, slot conventions). A
 * message with any other Latin word (English: "check", "points", "ok") is read as typed.
 */
export function createPinyinReader(vocabulary: Iterable<string>): (text: string) => string {
  const bySound = new Map<string, string>();
  // Longer words first, so a longer word keeps a spelling two shorter words could also make.
  const words = [...new Set([...vocabulary].filter((w) => HAN.test(w) && [...w].length >= 2 && [...w].length <= 5))].sort((a, b) => [...b].length - [...a].length);
  for (const w of words) {
    let forms: string[] = [''];
    for (const ch of w) {
      const rs = pinyinOf(ch);
      forms = rs.length ? forms.flatMap((f) => rs.map((r) => f + r)).slice(0, 16) : [];
    }
    for (const f of forms) if (!bySound.has(f)) bySound.set(f, w);
  }
  return (text: string) => {
    const latin = [...text.matchAll(LATIN_WORD)];
    if (latin.length === 0 || !latin.every((m) => isPinyin(m[0].replace(/'/g, '')))) return text;
    let out = '';
    let at = 0;
    for (let i = 0; i < latin.length; ) {
      let taken = 0;
      // The longest run of up to five words, apart only by spaces, that spells a word ("ke dan jia", "liushi mingdan").
      for (let j = Math.min(latin.length, i + 5); j > i && !taken; j--) {
        const run = latin.slice(i, j);
        if (run.some((m, k) => k > 0 && !/^\s*$/.test(text.slice(run[k - 1]!.index! + run[k - 1]![0].length, m.index)))) continue;
        const word = bySound.get(run.map((m) => m[0].toLowerCase().replace(/'/g, '')).join(''));
        if (!word) continue;
        const last = run[run.length - 1]!;
        out += text.slice(at, run[0]!.index) + word;
        at = last.index! + last[0].length;
        taken = j - i;
      }
      i += taken || 1;
    }
    return out + text.slice(at);
  };
}
