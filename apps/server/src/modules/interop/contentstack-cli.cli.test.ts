import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, json, type TestApp } from '../../test/test-app.js';
import type { TestProject } from '../../test/test-project.js';
import { projectSnapshot, seedInteropProject } from './interop-test-seed.js';

/**
 * The real, unmodified Contentstack CLI modules (pinned in the root package.json), library-level as
 * in real-clients.md §2.6: the personalize export module of @contentstack/cli-cm-export reads a
 * seeded Tailor project, the personalize import module of @contentstack/cli-cm-import re-creates
 * it in a new project. The CLI logs most failures instead of throwing, so the assertions are on
 * Tailor's state and on the import config's `importData` flag.
 */

// Before anything from @contentstack is loaded: in-memory CLI config store, log files in a temp dir.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tailor-cli-'));
process.env.NODE_ENV = 'PREPACK_MODE';
process.env.CS_CLI_LOG_PATH = path.join(scratch, 'logs');
process.env.HOME = path.join(scratch, 'home');
fs.mkdirSync(process.env.HOME, { recursive: true });

interface CliConfig {
  modules: {
    personalize: {
      baseURL: Record<string, string>;
      importData?: boolean;
      project_id?: string;
      experiences: { thresholdTimer?: number; checkIntervalDuration?: number };
    };
  };
  [key: string]: unknown;
}
interface CliModule {
  start(): Promise<void>;
}
type ExportModuleClass = new (args: { exportConfig: CliConfig }) => CliModule;
type ImportModuleClass = new (args: { importConfig: CliConfig }) => CliModule;

const load = createRequire(import.meta.url);

let t: TestApp;
let source: TestProject;
let origin: string;
const answers: Array<{ request: string; status: number }> = [];

type WinstonLoggers = Record<string, { transports: Array<{ name?: string; silent?: boolean }> }>;

/** The CLI's logger writes to winston's console transport, past vitest's console: silence it there. */
function muteCliConsole(): void {
  const { log } = load('@contentstack/cli-utilities') as { log: { loggers: WinstonLoggers } };
  for (const logger of Object.values(log.loggers)) for (const transport of logger.transports) if (transport.name === 'console') transport.silent = true;
}

beforeAll(async () => {
  // The default Management API rate limit, as an installation runs it: the CLI's export and
  // import must fit under it.
  t = await createTestApp({ env: { MANAGEMENT_RATE_LIMIT: '100' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  // The CLI logs failures instead of throwing: every answer it got is recorded here instead, and
  // its console lines (ERROR ones included, from the cases that expect a refusal) are muted.
  muteCliConsole();
  t.app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    res.on('finish', () => answers.push({ request: `${req.method ?? ''} ${req.url ?? ''}`, status: res.statusCode }));
  });
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/projects',
    headers: t.owner.headers,
    payload: { name: 'Source', description: 'seeded for the CLI', connectedStackApiKey: 'blt_src' },
  });
  expect(created.statusCode).toBe(201);
  const uid = json<{ uid: string }>(created).uid;
  source = { uid, headersFor: (user) => ({ ...user.headers, 'x-project-uid': uid }) };
  await seedInteropProject(t, source);
});
afterAll(async () => {
  await t.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the real Contentstack CLI against Tailor', () => {
  it('exports a project with cli-cm-export and imports it with cli-cm-import, equal up to uids', { timeout: 120_000 }, async () => {
    const { configHandler } = load('@contentstack/cli-utilities') as { configHandler: { set(key: string, value: unknown): void } };
    configHandler.set('authtoken', t.owner.token);
    const org = json<{ organization: { uid: string } }>(await t.app.inject({ method: 'GET', url: '/api/user', headers: t.owner.headers }));
    const base = `${origin}/api`;
    const region = { name: 'LOCAL', cma: origin, cda: origin, uiHost: origin, personalizeUrl: base };
    const outDir = path.join(scratch, 'export');
    const backupDir = path.join(scratch, 'backup');
    fs.mkdirSync(backupDir, { recursive: true });

    const exportCfg = structuredClone((load('@contentstack/cli-cm-export/lib/config') as { default: CliConfig }).default);
    Object.assign(exportCfg, { region, apiKey: 'blt_src', org_uid: org.organization.uid, data: outDir, exportDir: outDir, context: { module: '' } });
    exportCfg.modules.personalize.baseURL.LOCAL = base;
    const ExportPersonalize = (load('@contentstack/cli-cm-export/lib/export/modules/personalize') as { default: ExportModuleClass }).default;
    await new ExportPersonalize({ exportConfig: exportCfg }).start();
    expect(exportCfg.personalizationEnabled).toBe(true);
    const exported = JSON.parse(fs.readFileSync(path.join(outDir, 'personalize', 'experiences', 'experiences.json'), 'utf8')) as Array<{ uid: string }>;
    expect(exported).toHaveLength(2);
    // Tailor has no CMS, so no content types are linked. Pretend a stack import linked one, so the
    // CLI also makes its variant-group update call (real-clients.md §2.3, last row).
    fs.writeFileSync(
      path.join(outDir, 'personalize', 'experiences', 'experiences-content-types.json'),
      JSON.stringify(Object.fromEntries(exported.map((e) => [e.uid, [{ uid: 'home_page', status: 'linked' }]]))),
    );
    fs.mkdirSync(path.join(backupDir, 'mapper', 'content_types'), { recursive: true });
    fs.writeFileSync(path.join(backupDir, 'mapper', 'content_types', 'success.json'), JSON.stringify(['home_page']));

    const importCfg = structuredClone((load('@contentstack/cli-cm-import/lib/config') as { default: CliConfig }).default);
    Object.assign(importCfg, {
      region,
      apiKey: 'blt_dst',
      org_uid: org.organization.uid,
      data: outDir,
      contentDir: outDir,
      backupDir,
      personalizeProjectName: 'Copy',
      context: { module: '' },
    });
    importCfg.modules.personalize.baseURL.LOCAL = base;
    importCfg.modules.personalize.experiences.thresholdTimer = 2000;
    importCfg.modules.personalize.experiences.checkIntervalDuration = 100;
    const ImportPersonalize = (load('@contentstack/cli-cm-import/lib/import/modules/personalize') as { default: ImportModuleClass }).default;
    await new ImportPersonalize({ importConfig: importCfg }).start();
    expect(importCfg.modules.personalize.importData).toBe(true);
    const copyUid = importCfg.modules.personalize.project_id ?? '';
    expect(copyUid).toMatch(/^[0-9a-f]{24}$/);
    for (const section of ['attributes', 'audiences', 'events', 'experiences']) {
      const mapping = JSON.parse(fs.readFileSync(path.join(backupDir, 'mapper', 'personalize', section, 'uid-mapping.json'), 'utf8')) as object;
      expect(Object.keys(mapping).length).toBeGreaterThan(0);
    }

    const copy: TestProject = { uid: copyUid, headersFor: (user) => ({ ...user.headers, 'x-project-uid': copyUid }) };
    const projects = json<Array<{ uid: string; name: string; connectedStackApiKey: string | null }>>(
      await t.app.inject({ method: 'GET', url: '/api/projects?connectedStackApiKey=blt_dst', headers: t.owner.headers }),
    );
    expect(projects).toMatchObject([{ uid: copyUid, name: 'Copy' }]);
    const [before, after] = [await projectSnapshot(t, source), await projectSnapshot(t, copy)];
    expect(after).toEqual(before);
    expect(answers.filter((a) => a.status >= 400)).toEqual([]);
    // The CLI asked the CMA stub for each experience's variant group (export) and got answers.
    expect(answers.filter((a) => a.request.startsWith('GET /v3/variant_groups?experience_uid='))).toHaveLength(4);
    expect(answers.filter((a) => /^PUT \/v3\/variant_groups\/[0-9a-f]{24}\?experience_uid=/.test(a.request))).toHaveLength(2);
  });
});

describe('the Contentstack CLI export when there is nothing to export', () => {
  async function exportWith(apiKey: string, orgUid: string): Promise<{ enabled: unknown; statuses: number[] }> {
    const { configHandler } = load('@contentstack/cli-utilities') as { configHandler: { set(key: string, value: unknown): void } };
    configHandler.set('authtoken', t.owner.token);
    const base = `${origin}/api`;
    const outDir = path.join(scratch, `none-${apiKey}-${orgUid.slice(-4)}`);
    const exportCfg = structuredClone((load('@contentstack/cli-cm-export/lib/config') as { default: CliConfig }).default);
    const region = { name: 'LOCAL', cma: origin, cda: origin, uiHost: origin, personalizeUrl: base };
    Object.assign(exportCfg, { region, apiKey, org_uid: orgUid, data: outDir, exportDir: outDir, context: { module: '' } });
    exportCfg.modules.personalize.baseURL.LOCAL = base;
    const ExportPersonalize = (load('@contentstack/cli-cm-export/lib/export/modules/personalize') as { default: ExportModuleClass }).default;
    const from = answers.length;
    await new ExportPersonalize({ exportConfig: exportCfg }).start();
    return { enabled: exportCfg.personalizationEnabled, statuses: answers.slice(from).map((a) => a.status) };
  }

  it('skips quietly for a stack no project is connected to, and stops on another organization uid', async () => {
    const org = json<{ organization: { uid: string } }>(await t.app.inject({ method: 'GET', url: '/api/user', headers: t.owner.headers }));
    expect(await exportWith('blt_unknown', org.organization.uid)).toEqual({ enabled: false, statuses: [200] });
    // ADR 0006: a mismatching organization is a 403 with a code (logged by the CLI), not a bare "Forbidden".
    expect(await exportWith('blt_src', 'ffffffffffffffffffffffff')).toEqual({ enabled: false, statuses: [403] });
  });
});

describe('the Contentstack CLI import command path (ModuleImporter) against Tailor', () => {
  it('logs in over /v3, reads the stack and locale, and imports the personalize module', { timeout: 120_000 }, async () => {
    const { client } = load('@contentstack/management') as {
      client(options: Record<string, unknown>): { login(body: { email: string; password: string }): Promise<{ user: { authtoken: string } }> };
    };
    const { port } = t.app.server.address() as AddressInfo;
    // What `csdx auth:login` does with a region whose CMA host is Tailor.
    const login = await client({ host: '127.0.0.1', port, insecure: true }).login({ email: t.owner.email, password: 'correct horse battery' });
    const { configHandler } = load('@contentstack/cli-utilities') as { configHandler: { set(key: string, value: unknown): void } };
    configHandler.set('authtoken', login.user.authtoken);
    const org = json<{ organization: { uid: string } }>(await t.app.inject({ method: 'GET', url: '/api/user', headers: t.owner.headers }));
    const base = `${origin}/api`;
    const region = { name: 'LOCAL', cma: origin, cda: origin, uiHost: origin, personalizeUrl: base };
    const outDir = path.join(scratch, 'csdx-export');
    const exportCfg = structuredClone((load('@contentstack/cli-cm-export/lib/config') as { default: CliConfig }).default);
    Object.assign(exportCfg, { region, apiKey: 'blt_src', org_uid: org.organization.uid, data: outDir, exportDir: outDir, context: { module: '' } });
    exportCfg.modules.personalize.baseURL.LOCAL = base;
    const ExportPersonalize = (load('@contentstack/cli-cm-export/lib/export/modules/personalize') as { default: ExportModuleClass }).default;
    await new ExportPersonalize({ exportConfig: exportCfg }).start();
    // What `cm:stacks:export` writes beside the modules; the import reads the content version from it.
    fs.writeFileSync(path.join(outDir, 'export-info.json'), JSON.stringify({ contentVersion: 2 }));

    const importCfg = structuredClone((load('@contentstack/cli-cm-import/lib/config') as { default: CliConfig }).default);
    Object.assign(importCfg, {
      region,
      apiKey: 'blt_csdx',
      contentDir: outDir,
      data: outDir,
      // Without it the CLI copies the export into ./_backup_<n> of the working directory.
      createBackupDir: path.join(scratch, 'csdx-backup'),
      moduleName: 'personalize',
      singleModuleImport: true,
      skipAudit: true,
      contentVersion: 2,
      personalizeProjectName: 'Via csdx',
      context: { module: '' },
    });
    importCfg.modules.personalize.baseURL.LOCAL = base;
    importCfg.modules.personalize.experiences.thresholdTimer = 2000;
    importCfg.modules.personalize.experiences.checkIntervalDuration = 100;
    const cma = client({ host: '127.0.0.1', port, insecure: true, authtoken: login.user.authtoken });
    const ModuleImporter = (load('@contentstack/cli-cm-import/lib/import/module-importer') as { default: new (c: unknown, cfg: CliConfig) => CliModule }).default;
    const from = answers.length;
    await new ModuleImporter(cma, importCfg).start();
    expect(importCfg.org_uid).toBe(org.organization.uid);
    expect(importCfg.modules.personalize.importData).toBe(true);
    const copyUid = importCfg.modules.personalize.project_id ?? '';
    const copy: TestProject = { uid: copyUid, headersFor: (user) => ({ ...user.headers, 'x-project-uid': copyUid }) };
    expect(await projectSnapshot(t, copy)).toEqual(await projectSnapshot(t, source));
    expect(answers.slice(from).filter((a) => a.status >= 400 && !a.request.startsWith('GET /v3/stacks/branches'))).toEqual([]);
  });
});

// A separate describe keeps the CMA stub's contract visible next to the CLI run that needs it.
describe('the minimal CMA variant-group stub', () => {
  it('answers the CLI variant-group calls from the experience _cms', async () => {
    const list = json<Array<{ uid: string; _cms?: { variantGroup: string } }>>(
      await t.app.inject({ method: 'GET', url: '/api/experiences', headers: source.headersFor(t.owner) }),
    );
    const withCms = list.find((e) => e._cms);
    expect(withCms).toBeDefined();
    const headers = { ...t.owner.headers, api_key: 'blt_src' };
    const got = await t.app.inject({ method: 'GET', url: `/v3/variant_groups?experience_uid=${withCms?.uid ?? ''}`, headers });
    expect(got.statusCode).toBe(200);
    const group = json<{ variant_groups: Array<{ uid: string; name: string; content_types: unknown[] }> }>(got).variant_groups[0];
    expect(group).toMatchObject({ uid: withCms?._cms?.variantGroup, content_types: [] });
    const put = await t.app.inject({
      method: 'PUT',
      url: `/v3/variant_groups/${group?.uid ?? ''}?experience_uid=${withCms?.uid ?? ''}`,
      headers,
      payload: { ...group, content_types: [{ uid: 'home_page', status: 'linked' }] },
    });
    expect(put.statusCode).toBe(200);
    expect(json(put)).toMatchObject({ variant_group: { uid: group?.uid, content_types: [{ uid: 'home_page', status: 'linked' }] } });
    const anonymous = await t.app.inject({ method: 'GET', url: `/v3/variant_groups?experience_uid=${withCms?.uid ?? ''}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
