import { describe, expect, it } from 'vitest';
import { languageOf, replyLanguage, t } from './index.ts';

describe('i18n', () => {
  it('tells Chinese from English, and says nothing for digits and ids', () => {
    expect(languageOf('查一下 13800000001')).toBe('zh');
    expect(languageOf('给 M00000001 打上 VIP 标签')).toBe('zh');
    expect(languageOf('tag M00000001 as VIP')).toBe('en');
    expect(languageOf('查一下 li.na@example.com')).toBe('zh');
    expect(languageOf('look up li.na@example.com')).toBe('en');
    expect(languageOf('how many points do I have?')).toBe('en');
    expect(languageOf('13800000003')).toBeNull();
    expect(languageOf('M00000003')).toBeNull();
    expect(replyLanguage('13800000003', 'en')).toBe('en');
    expect(replyLanguage('13800000003')).toBe('zh');
  });

  it('answers from the catalogue in the asked language', () => {
    expect(t('zh', 'bot.notRegistered')).toContain('你好');
    expect(t('en', 'bot.notRegistered')).toMatch(/^Hello!/);
  });
});
