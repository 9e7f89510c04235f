import { Worker } from 'node:worker_threads';
import { workerBoot } from '../../kernel/index.ts';
import { fitBgNbd, fitGammaGamma, type BgNbdFit, type GammaGammaFit, type RfmData, type SpendData } from '../clv/index.ts';

export type FitRequest = { id: number; op: 'bgnbd'; data: RfmData } | { id: number; op: 'gg'; data: SpendData };
export type FitReply = { id: number; fit: BgNbdFit | GammaGammaFit } | { id: number; error: string };

/**
 * Where the scoring run's model fits run: BG/NBD and Gamma-Gamma by Nelder–Mead are pure CPU
 * (the run's four fits: the chain's BG/NBD and Gamma-Gamma, the churn layer's BG/NBD at each of
 * its two cuts), so on worker threads they run beside each other and beside the run's reads
 * (the churn layer's histories, the event counts) instead of one after another on the thread
 * that waits for the database. The fits are the same code on the same arrays in the same order
 * either way, so a worker answers the very numbers the main thread would (fit-threads.test.ts).
 * `threads: 0` fits in this thread (what a fit errs with is the same).
 */
export interface FitThreads {
  bgnbd(data: RfmData): Promise<BgNbdFit>;
  gammaGamma(data: SpendData): Promise<GammaGammaFit>;
  close(): Promise<void>;
}

export function fitThreads(threads = 2): FitThreads {
  if (threads <= 0) {
    return { bgnbd: async (d) => fitBgNbd(d), gammaGamma: async (d) => fitGammaGamma(d), close: async () => {} };
  }
  // Started at the run's start: loading the model code (and, from the TypeScript sources, tsx)
  // happens while the run refreshes member_stats, not when the first fit is due.
  const workers = Array.from({ length: threads }, () => new Worker(workerBoot(import.meta.url, 'fit-worker'), { eval: true }));
  const busy = new Array<number>(threads).fill(0);
  const pending = new Map<number, { resolve: (fit: never) => void; reject: (e: Error) => void }>();
  let next = 0;
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  workers.forEach((w, k) => {
    w.on('message', (r: FitReply) => {
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      busy[k]!--;
      if ('error' in r) p.reject(new Error(r.error));
      else p.resolve(r.fit as never);
    });
    w.on('error', failAll);
    w.on('exit', (code) => code !== 0 && failAll(new Error(`fit worker exited with code ${code}`)));
  });
  // Each fit goes to the worker with the fewest fits outstanding.
  const ask = <T>(req: Omit<FitRequest, 'id'>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      const k = busy.indexOf(Math.min(...busy));
      busy[k]!++;
      pending.set(id, { resolve: resolve as (fit: never) => void, reject });
      workers[k]!.postMessage({ ...req, id });
    });
  return {
    bgnbd: (data) => ask<BgNbdFit>({ op: 'bgnbd', data }),
    gammaGamma: (data) => ask<GammaGammaFit>({ op: 'gg', data }),
    async close() {
      failAll(new Error('fit threads closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
