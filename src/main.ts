import { ConfigError, consoleEnabled, describeConfig, loadConfig, runsWeb, runsWorkers, secretValues, type Config } from './config.ts';
import { loadEnvFile } from './env-file.ts';
import { isWebProcess, runWebProcesses, superviseWebProcesses } from './http/web-processes.ts';
import { createLogger, prettyLogs } from './logger.ts';
import type { Runtime } from './runtime.ts';
import type { Services } from './services.ts';

/** The whole stop must end within this; the stop's own steps are bounded below it. */
const STOP_DEADLINE_MS = 9_000;
/** How long a stop waits for running jobs before letting them go (they resume as stalled elsewhere). */
const JOB_GRACE_MS = 2_000;


/** `npm start`: migrations, demo data when the database is empty, HTTP server and queue workers. */
async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFile();
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL, {}, { secrets: secretValues(config), pretty: prettyLogs(config) });
  // WEB_PROCESSES > 1: this process only supervises that many servers on one port (src/http/web-processes.ts).
  // It loads none of the server's modules (they are imported below, by the processes that serve).
  if (superviseWebProcesses(config)) return runWebProcesses(config, logger, { stopDeadlineMs: STOP_DEADLINE_MS });
  logger.info({ config: describeConfig(config) }, 'starting');
  // Imported here, not at the top: a WEB_PROCESSES supervisor never needs them.
  const [{ runScoring }, { seedIfEmpty }, { migrate }, { waitForDependencies }, { listen }, { createWorkerApp }, { firstNodeUrl }, { createRuntime, within }, { createServices }, { startTelemetry, stopTelemetry }] = await Promise.all([
    import('./crm/insights/index.ts'),
    import('./demo/index.ts'),
    import('./db/migrate.ts'),
    import('./dependencies.ts'),
    import('./http/listen.ts'),
    import('./http/app.ts'),
    import('./redis.ts'),
    import('./runtime.ts'),
    import('./services.ts'),
    import('./telemetry/index.ts'),
  ]);

  // Signals: the first stops gracefully (docs/guides/administrator.md, "Start and stop"); a
  // second one, or a stop that overruns its deadline, exits at once.
  let stopping = false;
  let services: Services | undefined;
  let runtime: Runtime | undefined;
  let server: ReturnType<typeof listen> | undefined;
  const handling = new Set<Promise<unknown>>();
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('stop did not finish in time: exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    // 1. stop accepting; in-flight requests finish (idle keep-alive sockets are closed now). A
    //    callback still being answered is acked now by the slow path (its answer job queued
    //    first) rather than after its reply budget: the listener closes in milliseconds, and a
    //    deploy's restart is not held for seconds (docs/operations.md, "Start and stop").
    runtime?.beginStop();
    if (server) {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      const idle = () => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      // Keep-alive connections go as soon as their request is answered: closed once, a client's
      // pooled connection (WeCom's deliveries, a health probe) that became idle later kept the
      // listener open for the whole 4 s.
      idle();
      const sweep = setInterval(idle, 100);
      await within(closed, 4000);
      clearInterval(sweep);
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    }
    // 2. requests still being answered — closeAllConnections cut their sockets, not their
    //    handlers, which go on writing the inbox and renewing its lease: closing the pools under
    //    them failed with "Pool is closed" and left the claim held, so WeCom's re-send to the next
    //    process was acked as a duplicate and never answered —, answers still being pushed,
    //    running jobs (workers finish their current job), schedules.
    //    Two seconds: a journey step or a push is done in well under that; what is still running
    //    is an answer waiting on a slow LLM, whose message was handed over above and whose job
    //    resumes elsewhere — waiting longer only delays the restart of a deploy (bench:faults:
    //    4 s here made SIGTERM-to-ready 10.3 s, past the 10 s goal).
    const graceful = await within(Promise.allSettled([Promise.allSettled([...handling]), runtime?.stop()]), JOB_GRACE_MS);
    // A job longer than the window is abandoned, not cut: its worker lets go before Redis closes.
    if (graceful === 'timeout' && runtime) {
      logger.warn('jobs still running at the stop: left to another process (they resume as stalled)');
      await within(runtime.forceStop(), 1000);
    }
    // 3. queues, Redis, then the database pools.
    if (services) await within(services.close(), 3000);
    await within(stopTelemetry(), 1000); // the last spans
    logger.info('stopped');
    process.exit(0);
  };
  // One of WEB_PROCESSES' processes ignores SIGINT: Ctrl-C signals the whole group, and the supervisor sends each a SIGTERM.
  process.on('SIGINT', () => (isWebProcess() ? undefined : void shutdown('SIGINT')));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (!(await waitForDependencies({ mysql: config.DATABASE_URL, redis: firstNodeUrl(config) }, logger, () => stopping))) return;
  await migrate(config.DATABASE_URL, { log: (m) => logger.info(m) });
  if (stopping) return;
  await startTelemetry(config, logger); // no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set
  services = createServices(config, { logger });
  // The request connection refuses commands until it is connected (no offline queue), so let
  // it connect before serving: /readyz is then ready from the first request.
  const redis = services.redis;
  if (redis.status !== 'ready') await within(new Promise((resolve) => redis.once('ready', resolve)), 5000);
  // The demo data and its first scoring belong to a process that runs the workers, so that a
  // web and a worker started together never both seed (ROLE: docs/deployment.md).
  if (config.SEED_DEMO === 'auto' && runsWorkers(config)) {
    const seeded = await seedIfEmpty(services);
    if (seeded.seeded) {
      logger.info({ seeded: seeded.result }, 'demo data loaded into the empty database');
      // Score the fresh demo data at once, so churn.list and insights use the model from the
      // first message instead of waiting for the nightly run.
      const scored = await runScoring({ services });
      logger.info({ members: scored.members, ms: scored.ms.total }, 'value models scored');
    }
    else logger.info({ reason: seeded.reason }, 'demo data not loaded');
  }
  if (stopping) return;
  runtime = createRuntime(services);
  if (runsWorkers(config)) runtime.startWorkers();
  if (!config.LLM_API_KEY) logger.info('no LLM_API_KEY: the offline router (rules + classifier) answers alone');
  if (!config.WECOM_TOKEN) logger.info('WeCom not configured: /wecom/callback answers 503; try the console at /');

  if (runsWeb(config) && !consoleEnabled(config)) logger.info('the web console is off (production; CONSOLE=on enables it, behind sign-in)');
  // A worker-only process answers health checks and metrics on the same port, nothing else.
  const app = runsWeb(config) ? runtime.app.fetch : createWorkerApp(services, () => runtime!.jobsCheck()).fetch;
  // Every request's handler until it settles, so the stop can wait for it (step 2 above).
  const fetch = (...args: Parameters<typeof app>) => {
    const p = Promise.resolve().then(() => app(...args));
    handling.add(p);
    void p.finally(() => handling.delete(p)).catch(() => undefined);
    return p;
  };
  server = listen(fetch, config, (info) => {
    const shown = info.address.includes(':') ? `[${info.address}]` : info.address;
    logger.info({ host: info.address, port: info.port, role: config.ROLE }, `listening on http://${shown}:${info.port}/`);
  });
}

main().catch((err) => {
  // Start-up failures (a failed migration) end the process with a readable line, not a stack
  // trace wall; LOG_LEVEL=debug shows the stack. URL passwords never reach the line.
  const message = (err instanceof Error ? err.message : String(err)).replace(/(:\/\/[^:@/\s]*):[^@/\s]+@/g, '$1:***@');
  console.error(`start-up failed: ${message}`);
  if (process.env.LOG_LEVEL === 'debug') console.error(err);
  process.exit(1);
});
