/**
 * Worker-thread entry of the scoring run's fits (fit-threads.ts): fits BG/NBD or Gamma-Gamma on
 * the arrays it is sent and answers the fit, or the error's message.
 */
import { parentPort } from 'node:worker_threads';
import { fitBgNbd, fitGammaGamma } from '../clv/index.ts';
import type { FitReply, FitRequest } from './fit-threads.ts';

const port = parentPort!;
port.on('message', (req: FitRequest) => {
  let reply: FitReply;
  try {
    reply = { id: req.id, fit: req.op === 'bgnbd' ? fitBgNbd(req.data) : fitGammaGamma(req.data) };
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
