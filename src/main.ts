import { serve } from '@hono/node-server';
import { ConfigError, describeConfig, loadConfig, type Config } from './config.ts';
import { runScoring } from './crm/insights/index.ts';
import { seedIfEmpty } from './demo/index.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { createRuntime } from './runtime.ts';
import { createServices } from './services.ts';

/** `npm start`: migrations, demo data when the database is empty, HTTP server and queue workers. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.LOG_LEVEL);
  logger.info({ config: describeConfig(config) }, 'starting');

  await migrate(config.DATABASE_URL, { log: (m) => logger.info(m) });
  const services = createServices(config, { logger });
  if (config.SEED_DEMO === 'auto') {
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
  const runtime = createRuntime(services);
  runtime.startWorkers();
  if (!config.LLM_API_KEY) logger.info('no LLM_API_KEY: the rule router answers alone');
  if (!config.WECOM_TOKEN) logger.info('WeCom not configured: /wecom/callback answers 503; try the console at /');

  const server = serve({ fetch: runtime.app.fetch, port: config.PORT, hostname: '0.0.0.0' }, (info) => {
    logger.info({ port: info.port }, `listening on http://localhost:${info.port}/`);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close();
    await runtime.stop();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  // Start-up failures (database unreachable, a failed migration) end the process with a
  // readable line, not a stack trace wall; LOG_LEVEL=debug shows the stack.
  console.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.LOG_LEVEL === 'debug') console.error(err);
  process.exit(1);
});
