import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import type { TableDump } from './table-dumps.js';
import type { TestProject } from './test-project.js';

/**
 * Creates attributes "Load 1", "Load 2", … through the API, one after another, each in its own
 * committed transaction with its audit entry, until stopped: the write load of backup tests.
 */
export interface AttributeWriter {
  written(): number;
  /** Resolves once `count` writes have committed; throws if the writer failed or stalled. */
  until(count: number): Promise<void>;
  stop(): Promise<void>;
}

export function startAttributeWriter(t: TestApp, project: TestProject): AttributeWriter {
  let written = 0;
  let stopped = false;
  let failure: Error | undefined;
  const loop = (async () => {
    while (!stopped && failure === undefined) {
      const n = written + 1;
      const res = await t.app.inject({ method: 'POST', url: '/api/attributes', headers: project.headersFor(t.owner), payload: { name: `Load ${n}`, key: `load_${n}` } });
      if (res.statusCode === 201) written = n;
      else failure = new Error(`write ${n} failed: ${res.statusCode} ${res.body}`);
    }
  })();
  return {
    written: () => written,
    async until(count) {
      const deadline = Date.now() + 20_000;
      while (written < count) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`the writer stalled at ${written} of ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async stop() {
      stopped = true;
      await loop;
      if (failure) throw failure;
    },
  };
}

const loadIndex = (row: Record<string, unknown>) => (typeof row.name === 'string' && /^Load \d+$/.test(row.name) ? Number(row.name.slice(5)) : undefined);
const rowsOf = (dump: TableDump, table: string) => (dump.tables[table] ?? []).map((json) => JSON.parse(json) as Record<string, unknown>);

/** Tables whose rows the writer adds or changes: they may differ by the writes after the backup's moment. */
const WRITER_TABLES = new Set(['attributes', 'audit_entries', 'decision_revisions']);

/**
 * Asserts `restored` is `source` as of one moment of the writer's run: its writes 1…k with no gap,
 * k between the writes committed before the backup started and after it ended; every other row
 * of every table equal to the source's; what it lacks exactly the writes after k.
 */
export function expectOneMomentOf(source: TableDump, restored: TableDump, run: { startedAt: number; endedAt: number; written: number; projectUid: string }): number {
  expect(restored.schema).toEqual(source.schema);
  expect(Object.keys(restored.tables)).toEqual(Object.keys(source.tables));

  const indexes = rowsOf(restored, 'attributes').map(loadIndex).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
  const k = indexes.length;
  expect(indexes).toEqual(Array.from({ length: k }, (_, i) => i + 1));
  expect(k).toBeGreaterThanOrEqual(run.startedAt);
  expect(k).toBeLessThanOrEqual(run.endedAt);

  // Every row the backup has is the source's row, unchanged (the revision counter aside, below)…
  for (const [table, rows] of Object.entries(restored.tables)) {
    if (table === 'decision_revisions') continue;
    const sourceRows = new Set(source.tables[table]);
    expect({ table, extra: rows.filter((row) => !sourceRows.has(row)) }).toEqual({ table, extra: [] });
  }
  // …and the source rows it lacks are exactly those of the writes after its moment.
  const laterUids = rowsOf(source, 'attributes')
    .filter((row) => (loadIndex(row) ?? 0) > k)
    .map((row) => String(row.uid))
    .sort();
  expect(laterUids).toHaveLength(run.written - k);
  for (const [table, rows] of Object.entries(source.tables)) {
    const restoredRows = new Set(restored.tables[table]);
    const missing = rows.filter((row) => !restoredRows.has(row)).map((json) => JSON.parse(json) as Record<string, unknown>);
    if (!WRITER_TABLES.has(table)) expect({ table, missing }).toEqual({ table, missing: [] });
    if (table === 'attributes') expect(missing.map((row) => String(row.uid)).sort()).toEqual(laterUids);
    if (table === 'audit_entries') expect(missing.map((row) => String(row.resource_uid)).sort()).toEqual(laterUids);
  }
  // An attribute and its audit entry commit together: the backup has both or neither.
  const audited = rowsOf(restored, 'audit_entries').filter((row) => row.action === 'attribute.created').map((row) => String(row.resource_uid));
  const loads = rowsOf(restored, 'attributes').filter((row) => loadIndex(row) !== undefined).map((row) => String(row.uid));
  expect(audited.sort()).toEqual(loads.sort());
  // The decision revision is bumped right after each commit, so it trails the writes by at most one.
  const revision = (dump: TableDump) => Number(rowsOf(dump, 'decision_revisions').find((row) => row.project_uid === run.projectUid)?.revision ?? 0);
  expect([k - 1, k]).toContain(revision(restored));
  expect(revision(source)).toBe(run.written);
  return k;
}
