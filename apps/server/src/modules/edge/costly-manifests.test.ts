import { WORK_PER_DECISION } from '@tailor/engine';
import { describe, expect, it } from 'vitest';
import { CostlyManifests } from './costly-manifests.js';

describe('costly manifests', () => {
  it('marks a snapshot costly once a decision spent more than a tenth of the budget, and cheap again after a cheap one', () => {
    const turns = new CostlyManifests();
    const snapshot = {};
    expect(turns.isCostly(snapshot)).toBe(false);
    turns.note(snapshot, WORK_PER_DECISION / 10 + 1);
    expect(turns.isCostly(snapshot)).toBe(true);
    expect(turns.isCostly({})).toBe(false);
    turns.note(snapshot, 1000);
    expect(turns.isCostly(snapshot)).toBe(false);
  });

  it('runs one queued manifest per event-loop turn, letting other work in between', async () => {
    const turns = new CostlyManifests();
    const order: string[] = [];
    const first = turns.inTurn(() => order.push('costly 1'));
    const second = turns.inTurn(() => order.push('costly 2'));
    setImmediate(() => order.push('other request'));
    await Promise.all([first, second]);
    expect(order).toEqual(['costly 1', 'other request', 'costly 2']);
  });

  it('rejects with the error a queued manifest throws, and goes on with the next', async () => {
    const turns = new CostlyManifests();
    const failing = turns.inTurn(() => {
      throw new Error('bad header');
    });
    const next = turns.inTurn(() => 'decided');
    await expect(failing).rejects.toThrow('bad header');
    await expect(next).resolves.toBe('decided');
  });
});
