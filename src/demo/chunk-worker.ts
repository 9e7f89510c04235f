/**
 * Worker-thread entry of the seed (chunk-producer.ts): generates chunks when asked, keeps each
 * until the main thread sends its id bases, then returns it encoded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkContext, encodeGenerated, generateChunk, type ChunkSpec, type GeneratedChunk } from './chunk.ts';
import type { WorkerReply, WorkerRequest } from './chunk-producer.ts';
import { installKeyring } from '../crm/kernel/index.ts';

const spec = workerData as ChunkSpec;
// Buffers arrive as plain Uint8Arrays through the structured clone.
installKeyring({ ...spec.keyring, keys: new Map([...spec.keyring.keys].map(([id, key]) => [id, Buffer.from(key)])), indexKey: Buffer.from(spec.keyring.indexKey) });
const ctx = chunkContext(spec);
const held = new Map<number, GeneratedChunk>();
const port = parentPort!;

port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    if (req.op === 'generate') {
      const chunk = generateChunk(req.start, req.end, ctx);
      held.set(req.start, chunk);
      reply = { op: 'generate', start: req.start, counts: chunk.counts };
    } else {
      const chunk = held.get(req.start);
      if (!chunk) throw new Error(`chunk ${req.start} was never generated`);
      held.delete(req.start);
      reply = { op: 'encode', start: req.start, encoded: encodeGenerated(chunk, req.bases, spec) };
    }
  } catch (e) {
    reply = { op: 'error', start: req.start, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
