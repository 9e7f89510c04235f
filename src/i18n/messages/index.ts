import { aibot } from './aibot.ts';
import { bot } from './bot.ts';
import { cards } from './cards.ts';
import { dialogue } from './dialogue.ts';
import { errors } from './errors.ts';
import { help } from './help.ts';
import { insights } from './insights.ts';
import { kf } from './kf.ts';
import { koc } from './koc.ts';
import { sync } from './sync.ts';
import { memberSelf } from './member-self.ts';
import { members } from './members.ts';
import { points } from './points.ts';
import { recall } from './recall.ts';
import { segments } from './segments.ts';
import { service } from './service.ts';
import { tags } from './tags.ts';
import { titles } from './titles.ts';
import { safety } from './safety.ts';
import { healthMetric } from './health-metric.ts';
import { membersQuery } from './members-query.ts';
import { myTickets } from './my-tickets.ts';
import { recallStatus } from './recall-status.ts';
import { recallControl } from './recall-control.ts';
import { segmentWords } from './segment-words.ts';
import { workToday } from './work-today.ts';
import { contacts } from './contacts.ts';

/**
 * Every module's texts, by namespace. Adding a module's texts is one file in this folder and
 * one line here; the key is then `<namespace>.<key>` (e.g. `bot.notRegistered`).
 */
export const catalogue = { aibot, bot, cards, contacts, dialogue, members, service, kf, koc, tags, points, insights, recall, segments, 'member-self': memberSelf, help, titles, errors, safety, healthMetric, membersQuery, myTickets, recallStatus, recallControl, segmentWords, workToday, sync } as const;
