import { t, type Lang } from '../i18n/index.ts';
import type { Channel } from './types.ts';

/**
 * Stage 7 — render for the channel. Intents answer in channel-neutral plain text; WeCom and
 * the mini-program show text as is, so rendering today only normalises whitespace. Long texts
 * are split at 2048 UTF-8 bytes by the WeCom client when pushed (docs/wecom.md, protocol rules).
 */
export function render(text: string, _channel: Channel, lang: Lang = 'zh'): string {
  const trimmed = text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return trimmed === '' ? t(lang, 'bot.empty') : trimmed;
}
