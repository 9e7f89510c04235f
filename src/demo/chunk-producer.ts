import { Worker } from 'node:worker_threads';
import { workerBoot } from '../crm/kernel/index.ts';
import { chunkContext, encodeGenerated, generateChunk, type ChunkCounts, type ChunkSpec, type GeneratedChunk } from './chunk.ts';
import type { EncodedChunk } from './encode.ts';
import type { IdBases } from './rows.ts';

/**
 * Where chunks are generated and encoded: in this thread (`threads: 0`), or in worker threads,
 * chunk k on worker k mod n. Members are independent by construction, so the workers need
 * nothing but the seed's spec; the main thread only counts ids and writes.
 */
export interface ChunkProducer {
  generate(start: number, end: number): Promise<ChunkCounts>;
  encode(start: number, bases: IdBases): Promise<EncodedChunk>;
  close(): Promise<void>;
}

export type WorkerRequest = { op: 'generate'; start: number; end: number } | { op: 'encode'; start: number; bases: IdBases };
export type WorkerReply =
  | { op: 'generate'; start: number; counts: ChunkCounts }
  | { op: 'encode'; start: number; encoded: EncodedChunk }
  | { op: 'error'; start: number; message: string };

export function inProcessProducer(spec: ChunkSpec): ChunkProducer {
  const ctx = chunkContext(spec);
  const held = new Map<number, GeneratedChunk>();
  return {
    async generate(start, end) {
      const chunk = generateChunk(start, end, ctx);
      held.set(start, chunk);
      return chunk.counts;
    },
    async encode(start, bases) {
      const chunk = held.get(start)!;
      held.delete(start);
      return encodeGenerated(chunk, bases, spec);
    },
    async close() {},
  };
}

interface Pending {
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

export function workerProducer(spec: ChunkSpec, threads: number, chunkMembers: number): ChunkProducer {
  // The worker runs the TypeScript sources like the main process does (tsx's loader).
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(workerBoot(import.meta.url, 'chunk-worker'), {
        eval: true,
        workerData: spec,
        // Generation allocates furiously and briefly: a roomy young generation halves the GC time.
        resourceLimits: { maxYoungGenerationSizeMb: 192 },
      }),
  );
  // At most one request per chunk is outstanding (encode is asked once generate answered).
  const pending = new Map<number, Pending>();
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  for (const w of workers) {
    w.on('message', (r: WorkerReply) => {
      const p = pending.get(r.start);
      pending.delete(r.start);
      if (r.op === 'error') p?.reject(new Error(`seed worker: ${r.message}`));
      else p?.resolve(r);
    });
    w.on('error', failAll);
    w.on('exit', (code) => code !== 0 && failAll(new Error(`seed worker exited with code ${code}`)));
  }
  const ask = (req: WorkerRequest): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      pending.set(req.start, { resolve, reject });
      workers[Math.floor(req.start / chunkMembers) % threads]!.postMessage(req);
    });
  return {
    async generate(start, end) {
      const r = await ask({ op: 'generate', start, end });
      return (r as Extract<WorkerReply, { op: 'generate' }>).counts;
    },
    async encode(start, bases) {
      const r = await ask({ op: 'encode', start, bases });
      return (r as Extract<WorkerReply, { op: 'encode' }>).encoded;
    },
    async close() {
      failAll(new Error('seed workers closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
