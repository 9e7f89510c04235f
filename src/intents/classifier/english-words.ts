/**
 * English words as the classifier reads them: one form per word (a small stemmer with the
 * irregular verbs staff use) and, for the words of the CRM's requests, the class of meaning the
 * word belongs to ("kill", "halt", "shut" → stop; "guest", "client" → customer). A phrasing the
 * templates never wrote usually asks with a synonym of a word they did: the class carries what
 * the templates taught about one word to the others (held-out template families: see
 * docs/intents.md, session 14).
 */

/** Past forms and plurals no suffix rule reaches. */
const IRREGULAR: Readonly<Record<string, string>> = {
  bought: 'buy', sent: 'send', spent: 'spend', came: 'come', gave: 'give', given: 'give', took: 'take', taken: 'take',
  got: 'get', gotten: 'get', made: 'make', told: 'tell', left: 'leave', brought: 'bring', ran: 'run', went: 'go', gone: 'go',
  did: 'do', does: 'do', done: 'do', was: 'be', were: 'be', is: 'be', are: 'be', been: 'be', has: 'have', had: 'have',
  paid: 'pay', said: 'say', saw: 'see', seen: 'see', wrote: 'write', written: 'write', lost: 'lose', put: 'put', shut: 'shut',
  people: 'person', folks: 'person', children: 'child', kids: 'child',
};

/** A tiny English stemmer: "orders", "ordered", "ordering" → "order"; "closed", "close" → "clos"; "tagged" → "tag". */
export function stem(word: string): string {
  if (word.length <= 3 && !IRREGULAR[word]) return word;
  if (word.endsWith("'s")) return stem(word.slice(0, -2));
  let w = word;
  if (IRREGULAR[word]) w = IRREGULAR[word];
  else if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('es') && /(?:ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  // A final e is dropped whatever came before, so "close", "closed" and "closing" meet.
  return w.length > 4 && w.endsWith('e') && !w.endsWith('ee') ? w.slice(0, -1) : w;
}

/** "tagg" → "tag", "stopp" → "stop"; "add", "call", "pass" keep theirs. */
function undouble(w: string): string {
  return /([bgmnprt])\1$/.test(w) ? w.slice(0, -1) : w;
}

/**
 * Classes of meaning, by stem. Written as general English of a CRM chat (verbs of each kind of
 * request and the nouns of its objects), not from any evaluation line.
 */
const CLASSES: Readonly<Record<string, readonly string[]>> = {
  stop: ['stop', 'halt', 'cancel', 'paus', 'kill', 'abort', 'terminat', 'shut', 'disabl', 'withdraw', 'suspend', 'end', 'scrap', 'freez'],
  show: ['show', 'list', 'pull', 'display', 'view', 'see', 'check', 'look', 'open', 'get', 'fetch', 'grab', 'bring', 'find', 'search', 'tell'],
  count: ['count', 'many', 'number', 'total', 'headcount', 'size', 'big', 'much'],
  customer: ['member', 'customer', 'guest', 'client', 'shopper', 'patron', 'regular', 'diner', 'person', 'user', 'buyer'],
  ticket: ['ticket', 'case', 'complaint', 'issue', 'repair', 'problem', 'incident', 'refund', 'fault', 'claim'],
  note: ['note', 'follow', 'followup', 'interaction', 'contact', 'call', 'log', 'record', 'history', 'memo', 'remark', 'conversation', 'chat'],
  coupon: ['coupon', 'voucher', 'discount', 'offer', 'deal', 'promo', 'promotion', 'gift'],
  points: ['point', 'pt', 'pts', 'balanc', 'credit', 'bonus'],
  level: ['level', 'tier', 'grade', 'rank', 'gold', 'silver', 'platinum', 'diamond', 'vip', 'lvl', 'upgrad', 'downgrad'],
  campaign: ['recall', 'campaign', 'winback', 'comeback', 'reactivation', 'blast'],
  send: ['send', 'shoot', 'push', 'text', 'messag', 'fire', 'launch', 'kick', 'start', 'run', 'trigger', 'blast', 'email', 'sms'],
  churn: ['churn', 'laps', 'dormant', 'risk', 'slip', 'inactiv', 'lose', 'cold', 'quiet', 'leav'],
  orders: ['order', 'purchas', 'transaction', 'receipt', 'spend', 'spending', 'buy', 'bill', 'visit', 'sale'],
  remove: ['remov', 'drop', 'untag', 'strip', 'clear', 'delet', 'unlabel', 'unmark', 'off', 'rid', 'minus'],
  add: ['add', 'put', 'slap', 'stick', 'mark', 'assign', 'apply', 'attach', 'flag', 'tag', 'label', 'set'],
  metric: ['kpi', 'stat', 'metric', 'performanc', 'rate', 'retention', 'repurchas', 'aov', 'growth', 'dashboard', 'health', 'trend'],
  greet: ['hi', 'hello', 'hey', 'morning', 'evening', 'afternoon', 'yo', 'hiya'],
  thanks: ['thank', 'thx', 'ty', 'cheer', 'appreciat', 'great', 'cool', 'nice', 'awesom', 'perfect'],
  help: ['help', 'menu', 'command', 'usag', 'guid', 'manual', 'instruction', 'featur'],
  sync: ['sync', 'synced', 'import', 'updat', 'refresh', 'fresh', 'stal'],
  referral: ['referral', 'refer', 'koc', 'ambassador', 'promoter', 'influencer', 'recruit', 'commission', 'invit'],
  segment: ['segment', 'audienc', 'group', 'cohort', 'bucket', 'list'],
  export: ['export', 'download', 'csv', 'excel', 'spreadsheet', 'xlsx', 'dump'],
  today: ['today', 'todo', 'agenda', 'task', 'plate', 'due', 'overdu', 'deadlin', 'callback'],
  assent: ['ok', 'okay', 'yes', 'yep', 'yup', 'sure', 'confirm', 'fine', 'alright', 'go'],
  refuse: ['no', 'nah', 'nope', 'not', 'never', "don't", 'dont', 'forget', 'nevermind'],
};

const CLASS_OF: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [cls, stems] of Object.entries(CLASSES)) for (const s of stems) m.set(s, [...(m.get(s) ?? []), cls]);
  return m;
})();

/** The classes of meaning of one stem (none for most words). */
export function classesOf(stemmed: string): readonly string[] {
  return CLASS_OF.get(stemmed) ?? [];
}
