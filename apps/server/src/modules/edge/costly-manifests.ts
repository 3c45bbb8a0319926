/**
 * Fair turns for costly manifests (ADR 0080). A decision is bounded, but many costly manifests
 * arriving together would still run back to back, and every other project's request would wait
 * for all of them. So once a project's last decision cost more than a tenth of the work budget,
 * its manifests are decided one per event-loop turn, each after the I/O that is ready by then:
 * another project's request waits for at most one of them, however many are queued.
 */
import { WORK_PER_DECISION } from '@tailor/engine';

const COSTLY = WORK_PER_DECISION / 10;

export class CostlyManifests {
  /** Per engine snapshot: whether its last decision was costly (a rebuilt project starts unknown). */
  private readonly costly = new WeakMap<object, boolean>();
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  isCostly(snapshot: object): boolean {
    return this.costly.get(snapshot) === true;
  }

  /** Records what a decision of `snapshot` spent, in work units. */
  note(snapshot: object, units: number): void {
    this.costly.set(snapshot, units > COSTLY);
  }

  /** Runs `task` in its turn: after the others queued, once the I/O ready meanwhile has run. */
  inTurn<T>(task: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        try {
          resolve(task());
        } catch (error) {
          reject(error as Error);
        }
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase: sockets that became readable are served first.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
