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

/** Every template file, keyed by intent name (a name appears in one file only: the corpus test checks). */
export const TEMPLATE_FILES: readonly CorpusFile[] = [staffMembers, staffTags, staffInsights, staffMarketing, staffService, staffControl, staffContacts, memberIntents, none];

export const TEMPLATES: CorpusFile = Object.assign({}, ...TEMPLATE_FILES);
