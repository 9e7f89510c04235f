const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const HEAD = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wecom-crm-bot · 控制台</title>
<style>
  :root { --green: #07c160; --bg: #ededed; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: var(--bg); height: 100vh; display: flex; flex-direction: column; }
  header { background: #2e2e2e; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0; font-weight: 600; }
  header select, header input { font: inherit; padding: 4px 6px; border-radius: 4px; border: 0; }
  #log { flex: 1; overflow-y: auto; padding: 16px; display: flex; flex-direction: column; gap: 10px; }
  .msg { max-width: 78%; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap; word-break: break-word; }
  .me { align-self: flex-end; background: #95ec69; }
  .bot { align-self: flex-start; background: #fff; }
  .meta { font-size: 12px; color: #888; margin-top: 4px; }
  .err { align-self: center; color: #c00; font-size: 13px; }
  form { display: flex; gap: 8px; padding: 10px; background: #f7f7f7; border-top: 1px solid #ddd; }
  form input { flex: 1; font: inherit; padding: 8px 10px; border: 1px solid #ccc; border-radius: 4px; }
  form button { font: inherit; padding: 8px 18px; border: 0; border-radius: 4px; background: var(--green); color: #fff; cursor: pointer; }
  .chips { display: flex; gap: 6px; flex-wrap: wrap; padding: 0 10px 8px; background: #f7f7f7; }
  .signin { max-width: 420px; margin: 12vh auto; background: #fff; padding: 24px; border-radius: 8px; display: flex; flex-direction: column; gap: 12px; }
  .signin input, .signin button, .signin a { font: inherit; padding: 8px 10px; border-radius: 4px; }
  .signin input { border: 1px solid #ccc; }
  .signin button, .signin a.wecom { border: 0; background: var(--green); color: #fff; cursor: pointer; text-align: center; text-decoration: none; }
  .chips button { font-size: 13px; border: 1px solid #ccc; background: #fff; border-radius: 12px; padding: 2px 10px; cursor: pointer; }
</style>
</head>
`;

const DEV_IDENTITY = `<label>身份
    <select id="from">
      <option value="store_manager_01">store_manager_01（店长 · 第一家店）</option>
      <option value="hq_ops_01">hq_ops_01（总部会员运营）</option>
      <option value="agent_01">agent_01（客服）</option>
      <option value="member:13800000001">member:13800000001（会员）</option>
      <option value="__custom">其他…</option>
    </select>
  </label>
  <input id="custom" placeholder="WeCom userid 或 member:手机号" hidden>
`;

/**
 * GET / — a tiny web chat over POST /console/messages. One static page, no build step.
 * Development: the sender is picked from the demo seed's identities (and signed in with
 * POST /auth/dev, so download links open). Production: the page shows who is signed in and
 * never sends a sender of its own (docs/guides/administrator.md, "Signing in to the console").
 */
export function consolePage(opts: { signedInAs?: string }): string {
  const identity = opts.signedInAs
    ? `<span>已登录：${escapeHtml(opts.signedInAs)}</span> <button id="logout" type="button">退出</button>`
    : DEV_IDENTITY;
  const signedIn = opts.signedInAs ? 'true' : 'false';
  return HEAD + `<body>
<header>
  <h1>wecom-crm-bot 控制台</h1>
  ${identity}
</header>
<main id="log" aria-live="polite"></main>
<div class="chips" id="chips"></div>
<form id="form">
  <input id="text" autocomplete="off" placeholder="例如：查一下 13800000001" autofocus>
  <button type="submit">发送</button>
</form>
<script>
const examples = ['帮助', '查一下 13800000001', '13800000001 的详细情况', '本店流失预警名单', '本店会员健康度', '给 13800000001 打标签 VIP', 'look up M00000001'];
const $ = (id) => document.getElementById(id);
const log = $('log');
function add(cls, text, meta) {
  const div = document.createElement('div');
  div.className = 'msg ' + cls;
  div.textContent = text;
  if (meta) { const m = document.createElement('div'); m.className = 'meta'; m.textContent = meta; div.appendChild(m); }
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
}
const signedIn = ${signedIn};
// Development: the chosen sender is also signed in (POST /auth/dev), so download links in answers open.
function sender() { if (signedIn) return undefined; return $('from').value === '__custom' ? $('custom').value.trim() : $('from').value; }
// A message waits for the sign-in of its sender: the session, not the body, names who is asking.
let signing = Promise.resolve();
function devSignIn() { const from = sender(); if (from) signing = fetch('/auth/dev', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from }) }).catch(() => {}); }
if (!signedIn) {
  $('from').addEventListener('change', () => { $('custom').hidden = $('from').value !== '__custom'; devSignIn(); });
  $('custom').addEventListener('change', devSignIn);
  devSignIn();
} else {
  $('logout').addEventListener('click', async () => { await fetch('/auth/logout', { method: 'POST' }); location.reload(); });
}
async function send(text) {
  add('me', text);
  try {
    await signing;
    const res = await fetch('/console/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: sender(), text }) });
    const body = await res.json();
    if (!res.ok) { const d = document.createElement('div'); d.className = 'err'; d.textContent = body.error ? body.error.message : res.statusText; log.appendChild(d); return; }
    add('bot', body.reply, body.intent + ' · ' + Math.round(body.confidence * 100) + '%');
    if (body.image) { const img = document.createElement('img'); img.src = body.image.dataUrl; img.alt = body.image.alt; img.style.maxWidth = '100%'; const d = document.createElement('div'); d.className = 'msg bot'; d.appendChild(img); log.appendChild(d); log.scrollTop = log.scrollHeight; }
  } catch (e) { const d = document.createElement('div'); d.className = 'err'; d.textContent = String(e); log.appendChild(d); }
}
for (const ex of examples) { const b = document.createElement('button'); b.type = 'button'; b.textContent = ex; b.onclick = () => send(ex); $('chips').appendChild(b); }
$('form').addEventListener('submit', (e) => { e.preventDefault(); const t = $('text').value.trim(); if (t) { $('text').value = ''; send(t); } });
</script>
</body>
</html>
`;
}

/** The sign-in form of a production console: an API token, or WeCom login when the app is configured. */
export function signInPage(opts: { wecomLogin: boolean }): string {
  const wecom = opts.wecomLogin ? '<a class="wecom" href="/auth/wecom?next=/">企业微信登录</a><a href="/auth/wecom?via=qr&amp;next=/">扫码登录</a>' : '';
  return HEAD + `<body>
<form class="signin" id="signin">
  <h1>wecom-crm-bot 控制台 · 登录</h1>
  ${wecom}
  <label>API token（npm run crm:token）<input id="token" type="password" autocomplete="off" placeholder="crm_…"></label>
  <button type="submit">登录</button>
  <div class="err" id="err"></div>
</form>
<script>
document.getElementById('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/auth/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: document.getElementById('token').value.trim() }) });
  if (res.ok) location.reload();
  else { const b = await res.json().catch(() => ({})); document.getElementById('err').textContent = b.error ? b.error.message : res.statusText; }
});
</script>
</body>
</html>
`;
}
