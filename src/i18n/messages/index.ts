import { bot } from './bot.ts';
import { dialogue } from './dialogue.ts';
import { healthMetric } from './health-metric.ts';
import { membersQuery } from './members-query.ts';
import { myTickets } from './my-tickets.ts';
import { recallStatus } from './recall-status.ts';
import { segmentWords } from './segment-words.ts';
import { ticketLabels } from './ticket-labels.ts';
import { workToday } from './work-today.ts';

/**
 * Every module's texts, by namespace. Adding a module's texts is one file in this folder and
 * one line here; the key is then `<namespace>.<key>` (e.g. `bot.notRegistered`).
 */
export const catalogue = { bot, dialogue, healthMetric, membersQuery, myTickets, recallStatus, segmentWords, ticketLabels, workToday } as const;
