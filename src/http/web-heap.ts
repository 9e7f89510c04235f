/**
 * The heap bound a web process (ROLE=web) runs with. V8 grows its heap by a factor that scales
 * with the heap limit; with Node's default limit on a large machine (about 4 GiB), a web process
 * under 50–100 concurrent turns let its heap reach ~320 MB for ~90 MB of live objects (RSS
 * 398–425 MB under bench:http). With 1,536 MB it collects sooner: RSS 255–259 MB at the same
 * rates, CPU per callback unchanged within the noise (docs/benchmarks.md, "HTTP turn cost",
 * session 17). Only for processes that serve HTTP alone: the workers' nightly scoring of
 * 1,000,000 members peaks at 1.2 GB of RSS, so ROLE=all and ROLE=worker keep Node's default.
 */
export const WEB_HEAP_MB = 1536;

const HEAP_FLAG = /^--max-old-space-size(?:=|$)/;

/** Node flags for a web process: the given ones, plus the heap bound unless the operator set one (in them or in NODE_OPTIONS). */
export function webNodeArgs(execArgv: readonly string[], nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const set = execArgv.some((a) => HEAP_FLAG.test(a)) || nodeOptions.split(/\s+/).some((a) => HEAP_FLAG.test(a));
  return set ? [...execArgv] : [...execArgv, `--max-old-space-size=${WEB_HEAP_MB}`];
}
