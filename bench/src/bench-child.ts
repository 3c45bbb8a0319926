/**
 * The child side of a benchmark whose server runs in its own process: answers the load
 * generator's IPC messages. `profile-start` / `profile-stop` bracket a run with a CPU profile
 * written to `profileFile`; `cpu` reports this process's CPU time (plus `extra()`); `stop` closes
 * the server and exits.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';

export function answerBenchMessages(options: { profileFile: string; extra?: () => Record<string, unknown>; stop: () => Promise<void> }): void {
  const profiler = new inspector.Session();
  process.on('message', (message) => {
    if (message === 'profile-start') {
      profiler.connect();
      profiler.post('Profiler.enable', () => profiler.post('Profiler.start'));
      return;
    }
    if (message === 'profile-stop') {
      profiler.post('Profiler.stop', (error, result) => {
        if (!error) fs.writeFileSync(options.profileFile, JSON.stringify(result.profile));
        process.send?.({ type: 'profiled' });
      });
      return;
    }
    if (message === 'cpu') {
      process.send?.({ type: 'cpu', micros: process.cpuUsage(), ...options.extra?.() });
      return;
    }
    if (message !== 'stop') return;
    void options.stop().finally(() => process.exit(0));
  });
}
