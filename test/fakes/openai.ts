import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible chat completions server (POST /v1/chat/completions), speaking the
 * wire format the openai SDK (and LangChain over it) expects: JSON answers, or SSE chunks when
 * the request says `stream: true`; tool calls; HTTP errors (429/500) with OpenAI error bodies;
 * slow answers. Every request body is recorded so tests can assert what left the process.
 */
export interface ToolCallReply {
  kind: 'tool';
  name: string;
  /** The raw arguments string (malformed JSON allowed, to test repair). */
  arguments: string;
  content?: string;
}
export interface TextReply {
  kind: 'text';
  content: string;
}
export interface ErrorReply {
  kind: 'error';
  status: 429 | 500 | 400 | 401;
  message?: string;
}
export type FakeReply = (ToolCallReply | TextReply | ErrorReply) & { delayMs?: number; usage?: { prompt_tokens: number; completion_tokens: number } };

/** Decides the reply from the request body (default: the next queued reply, else a text "ok"). */
export type Responder = (body: ChatRequest, index: number) => FakeReply;

export interface ChatRequest {
  model: string;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: unknown } }[];
  stream?: boolean;
  [k: string]: unknown;
}

export interface FakeOpenAI {
  baseURL: string;
  /** Raw request bodies, in arrival order. */
  bodies: string[];
  requests: ChatRequest[];
  /** Queue replies, served in order (then the responder, if any). */
  reply(...r: FakeReply[]): void;
  respond(fn: Responder | null): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  let responder: Responder | null = null;
  const bodies: string[] = [];
  const requests: ChatRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    bodies.push(raw);
    const body = JSON.parse(raw) as ChatRequest;
    requests.push(body);
    const r: FakeReply = queue.shift() ?? responder?.(body, requests.length - 1) ?? { kind: 'text', content: 'ok' };
    if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs));
    if (res.destroyed) return;
    if (r.kind === 'error') {
      const type = r.status === 429 ? 'rate_limit_exceeded' : r.status === 500 ? 'server_error' : 'invalid_request_error';
      res.writeHead(r.status, { 'content-type': 'application/json', ...(r.status === 429 ? { 'retry-after': '1' } : {}) });
      res.end(JSON.stringify({ error: { message: r.message ?? type, type, code: type } }));
      return;
    }
    const usage = { prompt_tokens: r.usage?.prompt_tokens ?? 100, completion_tokens: r.usage?.completion_tokens ?? 20 };
    const fullUsage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
    const id = `chatcmpl-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCall = r.kind === 'tool' ? { id: `call_${requests.length}`, type: 'function' as const, function: { name: r.name, arguments: r.arguments } } : undefined;
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: r.kind === 'text' ? r.content : (r.content ?? null), ...(toolCall ? { tool_calls: [toolCall] } : {}) },
              finish_reason: toolCall ? 'tool_calls' : 'stop',
            },
          ],
          usage: fullUsage,
        }),
      );
      return;
    }
    // SSE: the arguments arrive in pieces, as real providers send them.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (delta: object, finish: string | null = null, extra: object = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
    send({ role: 'assistant', content: '' });
    if (toolCall) {
      const args = toolCall.function.arguments;
      const mid = Math.floor(args.length / 2);
      send({ tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: args.slice(0, mid) } }] });
      send({ tool_calls: [{ index: 0, function: { arguments: args.slice(mid) } }] });
      send({}, 'tool_calls');
    } else {
      const text = (r as TextReply).content;
      for (let i = 0; i < text.length; i += 8) send({ content: text.slice(i, i + 8) });
      send({}, 'stop');
    }
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: fullUsage })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    bodies,
    requests,
    reply: (...r) => void queue.push(...r),
    respond: (fn) => void (responder = fn),
    reset() {
      queue.length = 0;
      responder = null;
      bodies.length = 0;
      requests.length = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
