import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (docs/deployment.md, "Metrics"). One registry per process,
 * created with the module; each part of the edge observes its own figures here (the HTTP access
 * log, the workers, the LLM client, the outbound senders) and `GET /metrics` renders it. The
 * domain never imports this: it is the edge that measures.
 *
 * Labels stay bounded: HTTP by the matched route pattern (never the raw path), queues by name,
 * sends by channel and result, LLM calls by outcome.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'crm_' }); // crm_process_*, crm_nodejs_*

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({ name: 'crm_http_requests_total', help: 'HTTP requests by method, matched route and status', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
export const httpDuration = new Histogram({ name: 'crm_http_request_duration_seconds', help: 'HTTP request duration by method and matched route', labelNames: ['method', 'route'] as const, buckets: SECONDS, registers: [registry] });

export const queueJobs = new Gauge({ name: 'crm_queue_jobs', help: 'Jobs in each queue by state (read from Redis at scrape time)', labelNames: ['queue', 'state'] as const, registers: [registry] });
export const jobDuration = new Histogram({ name: 'crm_job_duration_seconds', help: 'Time a job ran, by queue and result', labelNames: ['queue', 'result'] as const, buckets: [...SECONDS, 30, 60, 300], registers: [registry] });
export const jobWait = new Histogram({ name: 'crm_job_wait_seconds', help: 'Time from a job being due to a worker taking it, by queue', labelNames: ['queue'] as const, buckets: [...SECONDS, 30, 60, 300], registers: [registry] });

export const llmDuration = new Histogram({ name: 'crm_llm_call_duration_seconds', help: 'LLM call duration by outcome', labelNames: ['outcome'] as const, buckets: SECONDS, registers: [registry] });
export const llmTokens = new Counter({ name: 'crm_llm_tokens_total', help: 'LLM tokens by kind (input, output)', labelNames: ['kind'] as const, registers: [registry] });

export const outboundSends = new Counter({ name: 'crm_outbound_sends_total', help: 'Outbound sends (SMS, e-mail, WeCom, robot, mini-program) by channel and result', labelNames: ['channel', 'result'] as const, registers: [registry] });

export const readReplicaInUse = new Gauge({ name: 'crm_read_replica_in_use', help: 'Whether heavy reads go to the read replica (1) or fall back to the primary (0); absent without READ_DATABASE_URL', registers: [registry] });
export const readReplicaLag = new Gauge({ name: 'crm_read_replica_lag_seconds', help: "The read replica's Seconds_Behind_Master at the last check", registers: [registry] });
export const readReplicaFallbacks = new Counter({ name: 'crm_read_replica_fallbacks_total', help: 'Times heavy reads moved from the read replica to the primary, by reason (down, lagging, stopped)', labelNames: ['reason'] as const, registers: [registry] });
