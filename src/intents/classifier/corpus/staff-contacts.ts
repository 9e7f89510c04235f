import type { CorpusFile } from './generate.ts';

/** WeCom customer contacts: handing one staff member's customers to another. */
export const staffContacts: CorpusFile = {
  'contacts.transfer': {
    audience: 'staff',
    zh: [
      '把{staff}的客户[转给|转交给|交接给|分配给|转移给|移交给]{name}',
      '[把|将]{staff}的[所有|全部|][企业微信|企微|微信|]客户[都|全部|][转给|转交给|交接给|分给]{name}[吧|]',
      '{staff}离职了[，|,| ][把|将]他的客户[转给|交接给|分配给]{name}',
      '{staff}[走了|不干了|调岗了][，|,| ][她|他]的客户[转给|交给|分给]{name}',
      '[帮我|麻烦|请][把|将]{staff}名下的客户[转到|转给|移交给]{name}[名下|]',
      '{staff}的企微客户[全部|都]交接给{name}',
    ],
    en: [
      "transfer {name_en}'s customers to {name_en}",
      "move all of {name_en}'s WeCom customers to {name_en}",
      "{name_en} left, hand [her|his] customers over to {name_en}",
      "reassign {name_en}'s customers to {name_en}",
    ],
  },
};
