import { describe, expect, it } from 'vitest';
import { correctionAt } from '../../intents/parse/self-correction.ts';
import { holdsBack } from './assent.ts';
import { CORRECTION, midSentence, RETRACT_EN, RETRACT_ZH } from './lexicon.ts';
import { correctionOf } from './routing-text.ts';

/**
 * One list of correction words (CORRECTION in lexicon.ts), read alike by each reader: every word of it is a correction
 * wherever the reader's place allows one — and the words it marks opening-only correct nothing inside a sentence.
 */
describe('the correction words, one list', () => {
  const zh = [...CORRECTION.wrongZh, ...CORRECTION.ohNoZh];

  it('a correction word opening a message is its lead: what follows is read (routing-text.ts)', () => {
    for (const w of zh) expect(correctionOf(`${w}，王芳的订单`), w).toBe('王芳的订单');
    for (const w of CORRECTION.wrongEn) expect(correctionOf(`${w}, I meant M00000005`), w).toBe('M00000005');
  });

  it('a correction word as the whole answer to a held preview holds it back (assent.ts)', () => {
    for (const w of zh) expect(holdsBack(w), w).toBe(true);
  });

  it('a correction word then a negated instruction takes the instruction back (RETRACT_*)', () => {
    for (const w of zh) expect(RETRACT_ZH.test(`给王芳记录一下 ${w} 先别记`), w).toBe(true);
    for (const w of CORRECTION.wrongEn) expect(RETRACT_EN.test(`log it, ${w}, don't`), w).toBe(true);
  });

  it('inside a sentence only the words that mean a correction there mark one (self-correction.ts)', () => {
    for (const w of midSentence([...CORRECTION.wrongZh, ...CORRECTION.meantZh])) expect(correctionAt(`给王芳加一百 ${w} 两百分`), w).toBeDefined();
    for (const w of midSentence([...CORRECTION.wrongEn, ...CORRECTION.meantEn])) expect(correctionAt(`add 30 points ${w} 20`), w).toBeDefined();
    for (const w of ['不是', '错了']) expect(correctionAt(`她${w}会员 加一百`), w).toBeUndefined();
    for (const w of ['no', 'nope', 'sorry', 'wait']) expect(correctionAt(`add 30 points ${w} receipt`), w).toBeUndefined();
  });
});
