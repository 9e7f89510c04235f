/**
 * Optional OpenTelemetry traces (docs/deployment.md, "Traces"), beside the metrics: when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, spans go over OTLP/HTTP (JSON) to <endpoint>/v1/traces.
 * Manual spans at the few choke points rather than auto-instrumentation (which patches modules
 * at load and is fragile under ESM): the HTTP request (named by its route pattern), the bot turn,
 * each BullMQ job, the LLM call, each outbound send. Unset, nothing is loaded or exported and
 * every helper here calls straight through.
 *
 * A job carries its request's trace: `injectTrace` puts a W3C `traceparent` into the job data
 * when it is added (src/jobs/queues.ts), and the worker's span continues it (`tracedProcessor`).
 *
 * Attributes never carry personal data: no message text, phone, name, member or staff id —
 * only route patterns, intent names, queue and job names, channels and results.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type SpanContext } from '@opentelemetry/api';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

let enabled = false;
let provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> } | undefined;
const tracer = () => trace.getTracer('wecom-crm-bot');

/**
 * Starts the tracer provider when OTEL_EXPORTER_OTLP_ENDPOINT is set (once per process; later
 * calls are no-ops). The SDK is imported only then, so a process without it loads none of it.
 */
export async function startTelemetry(config: Config, logger?: Logger): Promise<boolean> {
  if (enabled || !config.OTEL_EXPORTER_OTLP_ENDPOINT) return enabled;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const url = `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  const p = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME, 'deployment.environment.name': config.NODE_ENV, 'service.instance.role': config.ROLE }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 2000 })],
  });
  p.register(); // the global provider and the AsyncLocalStorage context manager (spans nest across awaits)
  provider = p;
  enabled = true;
  logger?.info({ endpoint: url, service: config.OTEL_SERVICE_NAME }, 'OpenTelemetry traces on');
  return true;
}

/** Sends the spans still buffered (tests, and the graceful stop). */
export async function flushTelemetry(): Promise<void> {
  await provider?.forceFlush();
}

/** Flushes and stops the exporter (the graceful stop). */
export async function stopTelemetry(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

export const tracingEnabled = () => enabled;

/**
 * Runs `fn` inside a span (a child of the active one); the span ends with fn, an exception sets
 * its status to error (the message only: an exception's text is ours, never a member's input).
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, opts: { kind?: SpanKind; parent?: SpanContext } = {}): Promise<T> {
  if (!enabled) return fn(undefined);
  const parent = opts.parent ? trace.setSpanContext(context.active(), opts.parent) : context.active();
  return tracer().startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes }, parent, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? (e as { code?: string }).code ?? e.name : 'error' });
      throw e;
    } finally {
      span.end();
    }
  });
}

/** The active span's W3C traceparent (`00-<trace>-<span>-<flags>`), or undefined. */
export function currentTraceparent(): string | undefined {
  if (!enabled) return undefined;
  const sc = trace.getActiveSpan()?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return undefined;
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 1).toString(16).padStart(2, '0')}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A remote parent from a traceparent (job data, a request header), or undefined. */
export function parseTraceparent(value: unknown): SpanContext | undefined {
  const m = typeof value === 'string' ? TRACEPARENT.exec(value) : null;
  if (!m) return undefined;
  const sc: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  return trace.isSpanContextValid(sc) ? sc : undefined;
}

/** Job data with the active span's traceparent added (unchanged when tracing is off or no span is active). */
export function injectTrace<T>(data: T): T {
  const tp = currentTraceparent();
  if (!tp || !data || typeof data !== 'object' || Array.isArray(data)) return data;
  return { ...data, traceparent: tp };
}

/** A BullMQ processor run inside a `job <queue>` span that continues the trace of whoever added the job. */
export function tracedProcessor<J extends { name: string; data: unknown; attemptsMade: number }, R>(queue: string, fn: (job: J) => Promise<R>): (job: J) => Promise<R> {
  return (job) => {
    if (!enabled) return fn(job);
    const parent = parseTraceparent((job.data as { traceparent?: unknown } | undefined)?.traceparent);
    return withSpan(`job ${queue}`, { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.operation.name': 'process', 'crm.job.name': job.name, 'crm.job.attempt': job.attemptsMade + 1 }, async (span) => {
      const out = await fn(job);
      if (typeof out === 'string') span?.setAttribute('crm.job.result', out);
      return out;
    }, { kind: SpanKind.CONSUMER, ...(parent ? { parent } : {}) });
  };
}

export { SpanKind };
