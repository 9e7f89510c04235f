/**
 * `npm run crm:contact-way -- --store <id|code> --staff <wecom userid> [--as <wecom userid>]`:
 * makes a store/staff 「联系我」 QR code (externalcontact/add_contact_way) whose state attributes
 * every customer who scans it to that store and staff member (docs/wecom.md, "Customer contacts");
 * prints the state and the QR code's URL. `--as` is the staff member it is made as (their role
 * needs contacts.manage and their stores the store; default: the first active admin).
 * Exit codes: 0 done, 1 failure (unknown store or staff, WeCom refused), 2 bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { weComClientOf } from '../channels/wecom/index.ts';
import { loadConfig } from '../config.ts';
import { createContactWay } from '../crm/contacts/index.ts';
import { activeStaffActor, AppError } from '../crm/kernel/index.ts';
import { createServices } from '../services.ts';
import { runCli } from './run.ts';

export const CONTACT_WAY_USAGE = `usage: npm run crm:contact-way -- --store <id|code> --staff <wecom userid> [--as <wecom userid>]

  --store S   the store the customers are attributed to (id or code)
  --staff ID  the staff member the QR code adds customers to (and attributes them to)
  --as ID     who makes it (needs contacts.manage; default: the first active admin)`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options: { store: { type: 'string' }, staff: { type: 'string' }, as: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`crm:contact-way: ${(e as Error).message}\n\n${CONTACT_WAY_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${CONTACT_WAY_USAGE}\n`);
    return 0;
  }
  if (!values.store || !values.staff) {
    process.stderr.write(`crm:contact-way: give --store and --staff\n\n${CONTACT_WAY_USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  if (!config.WECOM_CORP_ID || !config.WECOM_SECRET || !config.WECOM_AGENT_ID) {
    process.stderr.write('crm:contact-way: WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID are required\n');
    return 2;
  }
  const services = createServices({ ...config, LOG_LEVEL: 'silent' });
  try {
    const asId = values.as ?? (await services.db.staff.findFirst({ where: { role: 'admin', active: true }, orderBy: { id: 'asc' } }))?.wecomUserId;
    const actor = asId ? await activeStaffActor(services, asId) : null;
    if (!actor) throw new AppError('contacts_staff_not_found', `no active staff member ${asId ?? '(admin)'} to act as`);
    const store = /^\d+$/.test(values.store) ? Number(values.store) : values.store;
    const way = await createContactWay({ services, actor, channel: 'api', requestId: `cli-contact-way-${Date.now()}` }, weComClientOf(services).contacts, { store, staffUserId: values.staff });
    process.stdout.write(`${JSON.stringify(way)}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

runCli('crm:contact-way', main);
