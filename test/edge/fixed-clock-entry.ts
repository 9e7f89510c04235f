/**
 * A test entry of the Workers edge: the production Worker (src/edge/worker.ts) whose platform clock
 * a request may fix with `x-test-now`, so Tencent's sample vectors (2016) and the contract
 * fixtures (fixed instants) can be replayed under workerd. Never part of dist-edge/.
 */
import { edgeWorker } from '../../src/edge/worker.ts';

export { EdgeDedupe } from '../../src/edge/worker.ts';

export default edgeWorker((request) => {
  const at = request.headers.get('x-test-now');
  return at ? new Date(at) : new Date();
});
