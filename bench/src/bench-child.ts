/**
 * The child side of a benchmark whose server runs in its own process: answers the load
 * generator's IPC messages. `profile-start` / `profile-stop` bracket a run with a CPU profile
 * written to `profileFile` (`profile-stop:<name>` writes `<name>.cpuprofile` beside it instead);
 * `cpu` reports this process's CPU time (plus `extra()`); `stop` closes the server and exits.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

export function answerBenchMessages(options: { profileFile: string; extra?: () => Record<string, unknown>; stop: () => Promise<void> }): void {
  const profiler = new inspector.Session();
  process.on('message', (message) => {
    if (message === 'profile-start') {
      profiler.connect();
      profiler.post('Profiler.enable', () => profiler.post('Profiler.start'));
      return;
    }
    if (typeof message === 'string' && message.startsWith('profile-stop')) {
      const name = message.slice('profile-stop:'.length);
      const file = name === '' ? options.profileFile : path.join(path.dirname(options.profileFile), `${name}.cpuprofile`);
      profiler.post('Profiler.stop', (error, result) => {
        if (!error) fs.writeFileSync(file, JSON.stringify(result.profile));
        profiler.disconnect();
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
