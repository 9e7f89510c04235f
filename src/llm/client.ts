import type { AIMessage, AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import { chatOpenAI } from './langchain.ts';
import type { Config } from '../config.ts';
import { AppError } from '../crm/kernel/index.ts';
import type { Services } from '../services.ts';
import { llmDuration, llmTokens } from '../metrics/index.ts';
import { withSpan } from '../telemetry/index.ts';

/** The chat model when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are all set; null = rules only. */
export function createChatModel(config: Config, opts: { streaming?: boolean } = {}): ChatOpenAI | null {
  if (!config.LLM_BASE_URL || !config.LLM_API_KEY || !config.LLM_MODEL) return null;
  return chatOpenAI({
    model: config.LLM_MODEL,
    apiKey: config.LLM_API_KEY,
    configuration: { baseURL: config.LLM_BASE_URL },
    temperature: 0,
    // The per-turn budget is the deadline: no SDK retries behind it (a 429 falls back to rules).
    maxRetries: 0,
    timeout: config.LLM_TIMEOUT_MS,
    streaming: opts.streaming ?? config.LLM_STREAMING === 'on',
  });
}

const models = new WeakMap<Services, ChatOpenAI | null>();

/** The process's chat model (side effect behind a factory, docs/architecture.md conventions), built once per services object. */
export function llmFor(services: Services): ChatOpenAI | null {
  if (!models.has(services)) models.set(services, createChatModel(services.config));
  return models.get(services) ?? null;
}

/** Token usage of one call, as LangChain reports it (providers that send no usage give zeros). */
export function usageOf(msg: { usage_metadata?: { input_tokens?: number; output_tokens?: number; total_tokens?: number } }) {
  const u = msg.usage_metadata;
  return { inputTokens: u?.input_tokens ?? 0, outputTokens: u?.output_tokens ?? 0, totalTokens: u?.total_tokens ?? 0 };
}

/**
 * Runs `fn` with an abort signal that fires after `ms`; rejects with a timeout error then. A
 * caller's own signal (`outer`: the turn's, given up at a stop) aborts it too, rejecting with that
 * signal's reason.
 */
export async function withBudget<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  outer?.throwIfAborted();
  const ctrl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuter: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctrl.abort();
      reject(new AppError('llm_timeout', `LLM call exceeded its ${ms} ms budget`));
    }, ms);
    if (outer) {
      onOuter = () => {
        reject(outer.reason); // settled first: the race answers with the caller's reason, not the call's abort error
        ctrl.abort();
      };
      outer.addEventListener('abort', onOuter, { once: true });
    }
  });
  try {
    return await Promise.race([fn(ctrl.signal), deadline]);
  } finally {
    clearTimeout(timer);
    if (onOuter) outer?.removeEventListener('abort', onOuter);
  }
}

interface Callable {
  invoke(input: BaseMessage[], options: { signal: AbortSignal }): Promise<unknown>;
  stream(input: BaseMessage[], options: { signal: AbortSignal }): Promise<AsyncIterable<unknown>>;
}

/**
 * One model call → the whole AI message. When streaming, the chunks are read with stream() and
 * concatenated here (tool-call argument pieces included): LangChain's invoke() with
 * `streaming: true` estimates token counts with tiktoken, which downloads its encodings at run
 * time, impossible offline and slow anywhere. The provider's own usage chunk is kept instead.
 */
export async function complete(model: Callable, messages: BaseMessage[], signal: AbortSignal, streaming: boolean): Promise<AIMessage> {
  // Every model call passes here, so this is where its latency and tokens are measured (/metrics).
  const started = performance.now();
  // A span with the call's size and outcome only: the prompt and answer carry members' words.
  return withSpan('llm.complete', { 'gen_ai.operation.name': 'chat', 'crm.llm.streaming': streaming }, async (span) => {
  try {
    const res = await callModel(model, messages, signal, streaming);
    const u = usageOf(res);
    span?.setAttributes({ 'gen_ai.usage.input_tokens': u.inputTokens, 'gen_ai.usage.output_tokens': u.outputTokens });
    llmDuration.observe({ outcome: 'ok' }, (performance.now() - started) / 1000);
    llmTokens.inc({ kind: 'input' }, u.inputTokens);
    llmTokens.inc({ kind: 'output' }, u.outputTokens);
    return res;
  } catch (e) {
    llmDuration.observe({ outcome: signal.aborted ? 'timeout' : 'error' }, (performance.now() - started) / 1000);
    throw e;
  }
  });
}

async function callModel(model: Callable, messages: BaseMessage[], signal: AbortSignal, streaming: boolean): Promise<AIMessage> {
  if (!streaming) return (await model.invoke(messages, { signal })) as AIMessage;
  let acc: AIMessageChunk | undefined;
  for await (const chunk of await model.stream(messages, { signal })) acc = acc ? acc.concat(chunk as AIMessageChunk) : (chunk as AIMessageChunk);
  if (!acc) throw new Error('the provider streamed no chunks');
  return acc as unknown as AIMessage;
}

/** Token usage summed over the calls of one turn (logged once per turn). */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  calls: number;
}

/**
 * A model caller that adds each call's token usage to `usage`: one turn (route + repair,
 * or a segment tree + repair) reports its whole cost in one log line.
 */
export function meteredCaller(model: Callable, streaming: boolean): { usage: TurnUsage; ask(messages: BaseMessage[], signal: AbortSignal): Promise<AIMessage> } {
  const usage: TurnUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, calls: 0 };
  return {
    usage,
    async ask(messages, signal) {
      const res = await complete(model, messages, signal, streaming);
      const u = usageOf(res);
      usage.inputTokens += u.inputTokens;
      usage.outputTokens += u.outputTokens;
      usage.totalTokens += u.totalTokens;
      usage.calls++;
      return res;
    },
  };
}
