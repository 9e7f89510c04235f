type Pending = undefined | null | false;

/**
 * Polls until `probe` gives a value — anything but undefined, null or false — and returns it; throws
 * after `ms`. The one poll of the tests and benches, for effects a worker or another process
 * delivers later; the probe may be async (an SQL count, a request). `what` names the wait in the
 * error, or computes it then (a server's last output).
 */
export async function waitFor<T>(probe: () => T | Pending | Promise<T | Pending>, ms = 15_000, what: string | (() => string) = 'the condition', everyMs = 50): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v as T;
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
