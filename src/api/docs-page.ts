/**
 * The browsable API reference at /api/docs: rendered once on the server from the OpenAPI
 * document, one self-contained HTML page (inline CSS, no script, nothing fetched from a CDN),
 * so it works on an offline intranet. Each operation shows its permission, parameters, body
 * and response schemas, and a curl line to copy.
 */

type Json = Record<string, any>;

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const pretty = (v: unknown) => esc(JSON.stringify(v, null, 2));

/** A curl line for an operation, with example values for path parameters and the body. */
export function curlExample(method: string, path: string, op: Json): string {
  const url = path.replace(/\{(\w+)\}/g, '1');
  const required = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=…`);
  const qs = required.length ? `?${required.join('&')}` : '';
  const lines = [`curl -s${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} "http://localhost:8787${url}${qs}"`, `  -H "Authorization: Bearer $CRM_TOKEN"`];
  const content = op.requestBody?.content?.['application/json'];
  if (content) {
    lines.push(`  -H "content-type: application/json"`);
    lines.push(`  -d '${JSON.stringify(content.example ?? {})}'`);
  }
  return lines.join(' \\\n');
}

function responseBlock(code: string, r: Json): string {
  const [type, content] = Object.entries((r.content ?? {}) as Json)[0] ?? ['', {}];
  return type === 'application/json'
    ? `<h4>Response ${esc(code)}</h4><pre>${pretty((content as Json).schema)}</pre>`
    : `<h4>Response ${esc(code)} (${esc(type)})</h4><p>${esc(r.description)}</p>`;
}

export function docsPage(doc: Json): string {
  const ops: { method: string; path: string; op: Json }[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(methods)) ops.push({ method, path, op });
  }
  const tags = (doc.tags as { name: string }[]).map((t) => t.name);
  const section = (tag: string) => {
    const items = ops.filter((o) => (o.op.tags as string[]).includes(tag));
    return `<section><h2 id="${esc(tag)}">${esc(tag)}</h2>${items.map(operation).join('')}</section>`;
  };
  const operation = ({ method, path, op }: { method: string; path: string; op: Json }) => {
    const params = (op.parameters ?? []) as Json[];
    const body = op.requestBody?.content?.['application/json'];
    const responses = Object.entries(op.responses as Json);
    const okEntry = responses.find(([code]) => code.startsWith('2'));
    return `<details id="${esc(op.operationId)}"><summary><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> — ${esc(op.summary)}</summary>
<div class="op">
${op.description ? `<p>${esc(op.description)}</p>` : ''}
<p>Permission <code>${esc(op['x-permission'])}</code> — roles: ${(op['x-roles'] as string[]).map((r) => `<code>${esc(r)}</code>`).join(' ')}</p>
${
  params.length
    ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>${params
        .map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td><code>${esc(JSON.stringify(p.schema))}</code></td><td>${esc(p.description ?? '')}</td></tr>`)
        .join('')}</table>`
    : ''
}
${body ? `<h4>Request body</h4><pre>${pretty(body.schema)}</pre>` : ''}
${okEntry ? responseBlock(okEntry[0], okEntry[1] as Json) : ''}
<p>Errors: ${responses
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, r]) => `<code title="${esc((r as Json).description)}">${esc(code)}</code>`)
      .join(' ')}</p>
<h4>Example</h4><pre>${esc(curlExample(method, path, op))}</pre>
</div></details>`;
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} — reference</title>
<style>
body{font:14px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:1100px;padding:1rem 2rem;color:#222}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #ddd;margin-top:2rem}
details{border:1px solid #e3e3e3;border-radius:6px;margin:.4rem 0;background:#fafafa}
summary{cursor:pointer;padding:.45rem .6rem}.op{padding:0 1rem .8rem;background:#fff}
.m{display:inline-block;min-width:4.2em;text-align:center;font-weight:600;border-radius:4px;color:#fff;font-size:12px;padding:1px 4px}
.get{background:#2f7d32}.post{background:#1565c0}.patch{background:#b26a00}.put{background:#6a1b9a}.delete{background:#c62828}
pre{background:#f5f5f7;padding:.6rem;overflow:auto;max-height:28rem;border-radius:4px;font-size:12px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #e3e3e3;padding:2px 6px;text-align:left;vertical-align:top}
nav a{margin-right:.8rem}
</style></head><body>
<h1>${esc(doc.info.title)}</h1>
<p>Version ${esc(doc.info.version)} · OpenAPI ${esc(doc.openapi)} · machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a></p>
<p>${esc(doc.info.description)}</p>
<nav>${tags.map((t) => `<a href="#${esc(t)}">${esc(t)}</a>`).join('')}</nav>
${tags.map(section).join('\n')}
<h2>Error body</h2><pre>${pretty(doc.components.schemas.Error)}</pre>
</body></html>`;
}
