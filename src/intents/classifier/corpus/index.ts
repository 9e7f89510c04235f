import type { CorpusFile } from './generate.ts';
import { memberIntents } from './member.ts';
import { none } from './none.ts';
import { staffControl } from './staff-control.ts';
import { staffInsights } from './staff-insights.ts';
import { staffMarketing } from './staff-marketing.ts';
import { staffMembers } from './staff-members.ts';
import { staffService } from './staff-service.ts';
import { staffTags } from './staff-tags.ts';
import { staffContacts } from './staff-contacts.ts';
import { MORE_ENGLISH } from './english.ts';

/** Every template file, keyed by intent name (a name appears in one file only: the corpus test checks). */
export const TEMPLATE_FILES: readonly CorpusFile[] = [staffMembers, staffTags, staffInsights, staffMarketing, staffService, staffControl, staffContacts, memberIntents, none];

/** The files' templates, each intent's English families followed by the second pass of english.ts. */
export const TEMPLATES: CorpusFile = Object.fromEntries(
  Object.entries(Object.assign({}, ...TEMPLATE_FILES) as CorpusFile).map(([name, c]) => [name, MORE_ENGLISH[name] ? { ...c, en: [...(c.en ?? []), ...MORE_ENGLISH[name]] } : c]),
);
