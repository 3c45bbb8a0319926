import type { Worker } from 'node:cluster';
import { AggregatorRegistry, Gauge, Registry } from 'prom-client';

interface MetricsRequest {
  tailor: 'metrics-request';
  id: number;
}

interface MetricsResponse {
  tailor: 'metrics-response';
  id: number;
  text?: string;
  error?: string;
}

const isRequest = (m: unknown): m is MetricsRequest => typeof m === 'object' && m !== null && (m as MetricsRequest).tailor === 'metrics-request';
const isResponse = (m: unknown): m is MetricsResponse => typeof m === 'object' && m !== null && (m as MetricsResponse).tailor === 'metrics-response';

/**
 * In the primary: answers a worker's request for the instance's metrics with every worker's
 * registry summed by prom-client, followed by the primary's own (whether it runs the jobs).
 */
export function createClusterMetricsServer(leadership: { readonly leading: boolean }) {
  const aggregator = new AggregatorRegistry();
  const own = new Registry();
  new Gauge({
    name: 'tailor_background_jobs_leader',
    help: 'Whether this process runs the installation\'s background jobs (rollup, retention): exactly one process reports 1.',
    registers: [own],
    collect() {
      this.set(leadership.leading ? 1 : 0);
    },
  });
  return {
    /** True when the message was a metrics request (answered), false to let others handle it. */
    handle(worker: Worker, message: unknown): boolean {
      if (!isRequest(message)) return false;
      void Promise.all([aggregator.clusterMetrics(), own.metrics()]).then(
        ([workers, primary]) => worker.isConnected() && worker.send({ tailor: 'metrics-response', id: message.id, text: `${workers}\n${primary}` } satisfies MetricsResponse),
        (error: unknown) => worker.isConnected() && worker.send({ tailor: 'metrics-response', id: message.id, error: String(error) } satisfies MetricsResponse),
      );
      return true;
    },
  };
}

/** In a worker: asks the primary for the instance's metrics (5 s at most). */
export function requestClusterMetrics(): () => Promise<string> {
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: unknown) => {
    if (!isResponse(message)) return;
    const pending = waiting.get(message.id);
    if (pending === undefined) return;
    waiting.delete(message.id);
    if (message.text !== undefined) pending.resolve(message.text);
    else pending.reject(new Error(`the primary could not gather the workers' metrics: ${message.error ?? 'unknown error'}`));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      if (!process.connected || process.send === undefined) {
        reject(new Error('this worker has lost its primary'));
        return;
      }
      next += 1;
      const id = next;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary did not answer the metrics request within 5 s'));
      }, 5000);
      waiting.set(id, {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send({ tailor: 'metrics-request', id } satisfies MetricsRequest);
    });
}
