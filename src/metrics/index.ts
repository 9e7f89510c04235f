/** Prometheus metrics of the process (docs/deployment.md, "Metrics"). */
export { registry, httpRequests, httpDuration, llmDuration, llmTokens, outboundSends } from './registry.ts';
export { observeWorker, sampleQueueDepths } from './queues.ts';
export { metricsRoute } from './route.ts';
