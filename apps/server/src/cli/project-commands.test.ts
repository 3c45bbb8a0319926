import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@tailor/contract';
import { projectSnapshot, seedInteropProject } from '../modules/interop/interop-test-seed.js';
import { createTestApp, json, type TestApp } from '../test/test-app.js';
import { createTestProject, type TestProject } from '../test/test-project.js';
import { runCli } from './cli.js';

describe('tailor project export / import', () => {
  let t: TestApp;
  let source: TestProject;
  let dir: string;
  let out: string;
  let err: string;
  beforeEach(async () => {
    t = await createTestApp();
    source = await createTestProject(t, { name: 'Shop' });
    await seedInteropProject(t, source);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-project-cli-'));
    out = '';
    err = '';
  });
  afterEach(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (...argv: string[]) =>
    runCli(argv, {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      env: { LOG_LEVEL: 'silent', DATA_DIR: '/tmp/tailor-cli-test-unused' },
      openDb: () => t.db,
    });

  async function projects(): Promise<Array<{ uid: string; name: string }>> {
    return json(await t.app.inject({ method: 'GET', url: '/api/projects', headers: t.owner.headers }));
  }

  async function exported(): Promise<string> {
    const file = path.join(dir, 'shop.json');
    expect(await run('project', 'export', source.uid, '--out', file)).toBe(0);
    return file;
  }

  it('exports a project to a file and imports it as a new project, equal up to uids', async () => {
    const file = await exported();
    expect(out).toBe(`Exported project "Shop" (${source.uid}) to ${file}: 2 attributes, 3 audiences, 2 events, 2 experiences (4 versions).\n`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ format: 'tailor-project', formatVersion: 1 });
    out = '';
    expect(await run('project', 'import', file, '--name', 'Shop (staging)')).toBe(0);
    expect(err).toContain('attributes  2/2');
    expect(err).toContain('experiences 2/2');
    const copy = (await projects()).find((p) => p.name === 'Shop (staging)');
    expect(out).toBe(
      `Imported ${file} into project "Shop (staging)" (${copy?.uid ?? ''}): 2 attributes, 3 audiences (3 revisions), 2 events, 2 experiences (4 versions).\n`,
    );
    const target: TestProject = { uid: copy?.uid ?? '', headersFor: (user) => ({ ...user.headers, 'x-project-uid': copy?.uid ?? '' }) };
    expect(await projectSnapshot(t, target)).toEqual(await projectSnapshot(t, source));
  });

  it('rehearses with --dry-run and changes nothing', async () => {
    const file = await exported();
    out = '';
    expect(await run('project', 'import', file, '--name', 'Rehearsal', '--dry-run')).toBe(0);
    expect(out).toMatch(/^Dry run: .* can be imported into a new project "Rehearsal"\. It would create 2 attributes, .* Nothing was changed\.\n$/);
    expect((await projects()).map((p) => p.name)).toEqual(['Shop']);
  });

  it('lists every problem of a broken file in a dry run, with JSON paths, and exits 1', async () => {
    const file = await exported();
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as ProjectFile;
    content.attributes = [];
    fs.writeFileSync(file, JSON.stringify(content));
    out = '';
    expect(await run('project', 'import', file, '--name', 'Broken', '--dry-run')).toBe(1);
    expect(out).toContain('problem(s):');
    expect(out).toMatch(/audiences\[\d]\.definition\.rules\[0]\.attribute\.ref: Audience "Gold": refers to a custom attribute that is not in the file's attributes/);
    expect(err).toMatch(/^Dry run found \d+ problem\(s\)\.\n$/);
  });

  it('refuses a duplicate name, a non-empty target and another format version, each in one clear message', async () => {
    const file = await exported();
    expect(await run('project', 'import', file)).toBe(1);
    expect(err).toContain('A project named "Shop" already exists. Give the new project another name (--name');
    err = '';
    expect(await run('project', 'import', file, '--into', source.uid)).toBe(1);
    expect(err).toContain('Project "Shop" is not empty (it has 2 attributes, 3 audiences, 2 events, 2 experiences)');
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as ProjectFile;
    fs.writeFileSync(file, JSON.stringify({ ...content, formatVersion: 7 }));
    err = '';
    expect(await run('project', 'import', file, '--name', 'Other')).toBe(1);
    expect(err).toMatch(/^formatVersion: Expected formatVersion 1, the version this Tailor reads, received 7\./m);
    expect((await projects()).map((p) => p.name)).toEqual(['Shop']);
  });

  it('refuses a truncated file and a 100 MB file without importing anything', async () => {
    const file = await exported();
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, 200));
    expect(await run('project', 'import', file, '--name', 'Cut')).toBe(1);
    expect(err).toMatch(/shop\.json: not valid JSON, perhaps truncated \(.*\)\. Nothing was imported\.\n$/);
    const big = path.join(dir, 'big.json');
    // Sparse: the size is checked before anything is read.
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 100 * 1024 * 1024);
    err = '';
    expect(await run('project', 'import', big)).toBe(1);
    expect(err).toBe(`${big}: 100.0 MB is larger than the 50 MB a project file may have. Nothing was imported.\n`);
    expect((await projects()).map((p) => p.name)).toEqual(['Shop']);
  });

  it('refuses a file holding text the database cannot store, naming its path, and imports nothing', async () => {
    const file = await exported();
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as ProjectFile;
    fs.writeFileSync(file, JSON.stringify({ ...content, project: { ...content.project, description: 'a\u0000b' } }));
    expect(await run('project', 'import', file, '--name', 'Nul')).toBe(1);
    expect(err).toContain('project.description: expected text without NUL (U+0000) characters, received a string containing one');
    expect((await projects()).map((p) => p.name)).toEqual(['Shop']);
  });

  it('acts as the user given with --as, refusing an unknown one', async () => {
    const outsider = await t.createUser('MEMBER');
    const file = path.join(dir, 'x.json');
    expect(await run('project', 'export', source.uid, '--out', file, '--as', outsider.email)).toBe(1);
    expect(err).toBe('You are not a member of this project.\n');
    err = '';
    expect(await run('project', 'export', source.uid, '--out', file, '--as', 'nobody@example.com')).toBe(1);
    expect(err).toBe('--as: no user with the email "nobody@example.com".\n');
  });

  it('imports a large file with raised limits, showing progress every 100 items', { timeout: 120_000 }, async () => {
    const hex = (n: number) => n.toString(16).padStart(24, '0');
    const attributes = Array.from({ length: 150 }, (_, i) => ({ uid: hex(i + 1), key: `attr${i}`, name: `Attribute ${i}`, description: '' }));
    const audiences = Array.from({ length: 250 }, (_, i) => ({
      uid: hex(1000 + i),
      name: `Audience ${i}`,
      description: '',
      definition: {
        __type: 'RuleCombination',
        combinationType: 'AND',
        rules: [
          {
            __type: 'Rule',
            attribute: { __type: 'CustomAttributeReference', ref: hex((i % 150) + 1) },
            attributeMatchCondition: 'STRING_EQUALS',
            attributeMatchOptions: { __type: 'StringMatchOptions', value: `v${i}` },
            invertCondition: false,
          },
        ],
      },
    }));
    const file = path.join(dir, 'large.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        format: 'tailor-project',
        formatVersion: 1,
        exportedAt: '2026-11-29T12:00:00.000Z',
        project: { name: 'Large', description: '', limits: { attributes: 200, audiences: 300 } },
        attributes,
        audiences,
        events: [],
        experiences: [],
        priority: [],
      }),
    );
    const admin = await t.createUser('ADMIN');
    expect(await run('project', 'import', file, '--as', admin.email)).toBe(1);
    expect(err).toContain('only the organization Owner may set');
    err = '';
    expect(await run('project', 'import', file)).toBe(0);
    expect(err.split('\n').filter((line) => line.includes('audiences'))).toEqual(['  audiences   100/250', '  audiences   200/250', '  audiences   250/250']);
    const large = (await projects()).find((p) => p.name === 'Large');
    const view = json<{ limits: { attributes: number; audiences: number; events: number } }>(
      await t.app.inject({ method: 'GET', url: `/api/projects/${large?.uid ?? ''}`, headers: t.owner.headers }),
    );
    expect(view.limits).toMatchObject({ attributes: 200, audiences: 300, events: 100 });
    const exportedAgain = path.join(dir, 'again.json');
    expect(await run('project', 'export', large?.uid ?? '', '--out', exportedAgain)).toBe(0);
    const again = JSON.parse(fs.readFileSync(exportedAgain, 'utf8')) as ProjectFile;
    expect(again.project.limits).toEqual({ attributes: 200, audiences: 300 });
    expect(again.audiences).toHaveLength(250);
  });
});
