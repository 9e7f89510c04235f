import { bot } from './bot.ts';
import { safety } from './safety.ts';

/**
 * Every module's texts, by namespace. Adding a module's texts is one file in this folder and
 * one line here; the key is then `<namespace>.<key>` (e.g. `bot.notRegistered`).
 */
export const catalogue = { bot, safety } as const;
