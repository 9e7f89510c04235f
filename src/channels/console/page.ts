/**
 * GET / — a tiny web chat over POST /console/messages, so anyone can try the bot with no
 * WeCom account. One static page, no build step; identities are the demo seed's.
 */
export const CONSOLE_PAGE = `<!doctype html>
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
  .chips button { font-size: 13px; border: 1px solid #ccc; background: #fff; border-radius: 12px; padding: 2px 10px; cursor: pointer; }
</style>
</head>
<body>
<header>
  <h1>wecom-crm-bot 控制台</h1>
  <label>身份
    <select id="from">
      <option value="store_manager_01">store_manager_01（店长 · 第一家店）</option>
      <option value="hq_ops_01">hq_ops_01（总部会员运营）</option>
      <option value="agent_01">agent_01（客服）</option>
      <option value="member:13800000001">member:13800000001（会员）</option>
      <option value="__custom">其他…</option>
    </select>
  </label>
  <input id="custom" placeholder="WeCom userid 或 member:手机号" hidden>
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
function sender() { return $('from').value === '__custom' ? $('custom').value.trim() : $('from').value; }
$('from').addEventListener('change', () => { $('custom').hidden = $('from').value !== '__custom'; });
async function send(text) {
  add('me', text);
  try {
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
