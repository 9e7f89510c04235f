/**
 * A journey worker in its own process, for the kill-and-restart test: started with the rig's
 * config as its whole environment (database, Redis, provider URLs; test/support/child.ts), killed with SIGKILL mid-run, then started again.
 */
import { loadConfig } from '../../src/config.ts';
import { startJourneyWorker } from '../../src/jobs/journey-worker.ts';
import { createServices } from '../../src/services.ts';

const services = createServices(loadConfig(process.env));
// The product's own job lock (JOB_LOCK, src/jobs/queues.ts): what a killed server's jobs wait for
// is what is tested. (A lock of 1.5 s lapsed under a loaded machine while the worker was alive, and
// the job ran twice side by side.)
const worker = startJourneyWorker(services, { concurrency: 8 });
worker.on('ready', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  void worker.close().then(() => services.close()).then(() => process.exit(0));
});
// The test process went away (killed before its afterAll ran): so does this worker.
process.on('disconnect', () => process.exit(1));
