import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorpTags, deleteCorpTag, renameCorpTag } from '../../src/crm/contacts/index.ts';
import { addTag, removeTag } from '../../src/crm/engagement/index.ts';
import { runTagMirror } from '../../src/jobs/tag-mirror.ts';
import { startContactsRig, type ContactsRig } from './contacts-rig.ts';

/**
 * Corp tags both ways: WeCom's dictionary and a customer's tags into the CRM (change_external_tag,
 * edit_external_contact), staff tag changes out to WeCom (the outbox job, mark_tag), without an
 * echo, within WeCom's limits and its ownership rule.
 */
let r: ContactsRig;
let member: number;
let t1: string;
let t2: string;
const M = { memberNo: 'M00000005' };

beforeAll(async () => {
  r = await startContactsRig('contacts-tags');
  member = await r.memberId('M00000005');
  await r.services.sql.query('UPDATE members SET unionid = ? WHERE id = ?', ['oUNION-5', member]);
}, 120_000);
afterAll(async () => r?.close());

const mirrorJobs = async () => (await r.rows("SELECT job_id, data FROM outbound_jobs WHERE name = 'member-tags-changed' ORDER BY created_at")).map((j) => ({ id: String(j.job_id), data: JSON.parse(String(j.data)) as unknown }));
const memberTags = async () => (await r.rows('SELECT t.name, mt.created_by FROM member_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.member_id = ? ORDER BY t.name', [member])).map((x) => `${x.name}|${x.created_by}`);
const tagEvent = (changeType: string, id: string, tagType = 'tag') => r.send(r.eventRequest('change_external_tag', { Id: id, TagType: tagType, ChangeType: changeType }));
/** Runs every mirror job queued so far (what the outbound worker does), then forgets them. */
async function runMirrors() {
  const out = [];
  for (const j of await mirrorJobs()) {
    out.push(await runTagMirror(r.services, j.data));
    await r.services.sql.query('DELETE FROM outbound_jobs WHERE job_id = ?', [j.id]);
  }
  return out;
}

describe('WeCom → CRM', () => {
  it('change_external_tag create: the WeCom tag enters the dictionary, linked to a CRM tag of its name', async () => {
    t1 = r.wc.consoleTag('客户意向', '高意向');
    t2 = r.wc.consoleTag('客户意向', '已到店');
    await tagEvent('create', t1);
    await tagEvent('create', t1); // a second event for the same tag: nothing new
    const rows = await r.rows('SELECT w.wecom_tag_id, w.name, w.owned, t.name AS crm FROM wecom_corp_tags w JOIN tags t ON t.id = w.tag_id ORDER BY w.name');
    expect(rows).toEqual([{ wecom_tag_id: t1, name: '高意向', owned: 0, crm: '高意向' }]);
    // A whole group: its tags come in with it.
    const group = (await r.port.corpTagList({ tagIds: [t2] }))[0]!.group_id;
    await tagEvent('create', group, 'tag_group');
    expect((await r.rows('SELECT name FROM wecom_corp_tags ORDER BY name')).map((x) => x.name)).toEqual(['已到店', '高意向']);
  });

  it('a tag a staff member puts on the customer in WeCom reaches the bound member, and is not mirrored back', async () => {
    r.wc.addCustomer({ external_userid: 'wmTag', name: '标签客户', unionid: 'oUNION-5', follow: [{ userid: 'agent_01', tagIds: [] }] });
    await r.contactEvent('add_external_contact', 'agent_01', 'wmTag');
    r.wc.customers.get('wmTag')!.follow[0]!.tagIds = [t1];
    await r.contactEvent('edit_external_contact', 'agent_01', 'wmTag');
    expect(await memberTags()).toContain('高意向|wecom:agent_01');
    expect(await mirrorJobs()).toEqual([]);
    expect(r.wc.markTagCalls).toEqual([]);
  });

  it('renamed in WeCom (by anyone): the linked CRM tag follows the rename', async () => {
    r.wc.consoleEdit(t2, { name: '已到店（新）' });
    await tagEvent('update', t2);
    expect((await r.rows("SELECT t.name FROM wecom_corp_tags w JOIN tags t ON t.id = w.tag_id WHERE w.wecom_tag_id = ?", [t2]))[0]!.name).toBe('已到店(新)');
    r.wc.consoleEdit(t2, { name: '已到店' });
    await tagEvent('update', t2);
    expect((await r.rows("SELECT t.name FROM wecom_corp_tags w JOIN tags t ON t.id = w.tag_id WHERE w.wecom_tag_id = ?", [t2]))[0]!.name).toBe('已到店');
  });
});

describe('CRM → WeCom', () => {
  it('a staff tag change is mirrored by a job with mark_tag on each relationship; WeCom’s echo of it writes nothing back', async () => {
    const hq = await r.access('hq_ops_01');
    await addTag(hq, M, '已到店');
    const jobs = await mirrorJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data).toEqual({ kind: 'member-tags-changed', memberIds: [member] });
    expect(await runMirrors()).toEqual([{ marked: 1, overLimit: 0, refused: 0 }]);
    expect(r.wc.markTagCalls).toEqual([{ userid: 'agent_01', external_userid: 'wmTag', add_tag: [t2], remove_tag: [] }]);
    expect(r.wc.customers.get('wmTag')!.follow[0]!.tagIds?.sort()).toEqual([t1, t2].sort());

    // WeCom tells us about the change we made (edit_external_contact): nothing to apply, nothing queued, no second call.
    const before = await memberTags();
    await r.contactEvent('edit_external_contact', 'agent_01', 'wmTag');
    expect(await memberTags()).toEqual(before);
    expect(await mirrorJobs()).toEqual([]);
    expect(await runTagMirror(r.services, { kind: 'member-tags-changed', memberIds: [member] })).toEqual({ marked: 0, overLimit: 0, refused: 0 });
    expect(r.wc.markTagCalls).toHaveLength(1);

    await removeTag(hq, M, '高意向');
    await runMirrors();
    expect(r.wc.markTagCalls[1]).toEqual({ userid: 'agent_01', external_userid: 'wmTag', add_tag: [], remove_tag: [t1] });
    expect(r.wc.customers.get('wmTag')!.follow[0]!.tagIds).toEqual([t2]);
  });

  it('a CRM tag with no WeCom link is not sent; rule/system writes queue nothing', async () => {
    const hq = await r.access('hq_ops_01');
    await r.services.sql.query("INSERT INTO tags (name, category, created_at) VALUES ('只在CRM', 'behaviour', NOW(3))");
    await addTag(hq, M, '只在CRM');
    expect(await runMirrors()).toEqual([{ marked: 0, overLimit: 0, refused: 0 }]);
    expect(r.wc.markTagCalls).toHaveLength(2);
  });
});

describe('limits and ownership', () => {
  it('edits and deletes only the tags this app created; others are refused before any call', async () => {
    const hq = await r.access('hq_ops_01');
    const made = await createCorpTags(hq, r.port, { group: 'CRM', names: ['复购客'] });
    expect(r.wc.corpTags().find((t) => t.id === made.tags[0]!.id)).toMatchObject({ name: '复购客', byApp: true });
    await renameCorpTag(hq, r.port, made.tags[0]!.id, '复购老客');
    expect((await r.rows("SELECT t.name FROM wecom_corp_tags w JOIN tags t ON t.id = w.tag_id WHERE w.wecom_tag_id = ?", [made.tags[0]!.id]))[0]!.name).toBe('复购老客');
    const edits = r.wc.requests.get('edit_corp_tag');
    await expect(renameCorpTag(hq, r.port, t1, '改名')).rejects.toMatchObject({ code: 'wecom_tag_not_owned' });
    await expect(deleteCorpTag(hq, r.port, t1)).rejects.toMatchObject({ code: 'wecom_tag_not_owned' });
    expect(r.wc.requests.get('edit_corp_tag')).toBe(edits);
    expect(r.wc.requests.get('del_corp_tag')).toBeUndefined();
    await deleteCorpTag(hq, r.port, made.tags[0]!.id);
    expect(r.wc.corpTags().find((t) => t.id === made.tags[0]!.id)?.deleted).toBe(true);
  });

  it('refuses new corp tags past 10,000 for the company, without calling WeCom', async () => {
    const [live] = await r.rows('SELECT COUNT(*) AS n FROM wecom_corp_tags WHERE deleted_at IS NULL');
    const fill = Array.from({ length: 9_999 - Number(live!.n) }, (_, i) => [`etFILL${i}`, 'g', 'g', `fill${i}`]);
    await r.services.sql.query('INSERT INTO wecom_corp_tags (wecom_tag_id, group_id, group_name, name) VALUES ?', [fill]);
    const calls = r.wc.requests.get('add_corp_tag');
    await expect(createCorpTags(await r.access('hq_ops_01'), r.port, { group: 'CRM', names: ['甲', '乙'] })).rejects.toMatchObject({ code: 'wecom_tag_limit' });
    expect(r.wc.requests.get('add_corp_tag')).toBe(calls);
    await r.services.sql.query("DELETE FROM wecom_corp_tags WHERE wecom_tag_id LIKE 'etFILL%'");
  });

  it('leaves a pair alone when the mirror would pass 3,000 tags on it', async () => {
    const full = Array.from({ length: 3000 }, (_, i) => `etX${i}`);
    await r.services.sql.query('UPDATE wecom_follows SET wecom_tags = ? WHERE external_userid = ?', [JSON.stringify(full), 'wmTag']);
    await addTag(await r.access('hq_ops_01'), M, '高意向');
    expect(await runMirrors()).toEqual([{ marked: 0, overLimit: 1, refused: 0 }]);
    expect(r.wc.markTagCalls).toHaveLength(2);
  });

  it('change_external_tag delete unlinks the WeCom tag; the CRM tag and its holders stay', async () => {
    r.wc.consoleEdit(t2, { deleted: true });
    await tagEvent('delete', t2);
    expect((await r.rows('SELECT deleted_at IS NOT NULL AS gone FROM wecom_corp_tags WHERE wecom_tag_id = ?', [t2]))[0]!.gone).toBe(1);
    expect(await memberTags()).toContain('已到店|hq_ops_01');
  });
});
