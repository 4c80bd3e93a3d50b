import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, git } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer } from '../reconcile/reconcile-harness.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ARTIFACTS = path.resolve('test-artifacts', 'dashboard');
const SECRET = 'dashboard-secret-value-42';

// biome-ignore lint/suspicious/noExplicitAny: API answers are plain JSON here
type Any = Record<string, any>;

// One `berth up --example` serves everything: the JSON API (checked against its OpenAPI document
// and against the CLI's -o json), /metrics (promtool), and the dashboard in Debian's chromium.
describe('the API, /metrics and the dashboard of a running example', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let env: Record<string, string>;
  let config: string;
  let berth: RunningCli | undefined;
  let url: string;
  let token: string;
  let repo: string;
  let context: BrowserContext | undefined;
  const cli = (...args: string[]) => runCli([...args, '-c', config], { env, cwd: dir });
  const get = async (p: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${p}`, { headers });
    expect(res.status, p).toBe(200);
    return (await res.json()) as Any;
  };
  const source = async () => get('/api/v1/sources/example');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    env = await berthEnv(dir, docker.id);
    config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\n`,
    );
    berth = startCli(['up', '--example', '-c', config], { env, cwd: dir });
    await berth.waitFor('API listening', 60_000);
    url = `http://${env.BERTH_API_LISTEN}`;
    repo = path.join(env.BERTH_STATE_DIR as string, 'examples-repo');
    token = readFileSync(path.join(env.BERTH_STATE_DIR as string, 'api-token'), 'utf8').trim();
    context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      bypassCSP: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await berth?.stop();
    await cli('down', '--yes');
  }, 180_000);

  it('the dashboard shows the example tree turning healthy, live, and passes axe', async () => {
    const page = await (context as BrowserContext).newPage();
    await page.goto(`${url}/sources/example`);
    // Live updates only: a reload would lose this marker.
    await page.evaluate(() => {
      (globalThis as unknown as Any).notReloaded = true;
    });
    const web = page.locator('li[data-key="Deployment/default/web"]');
    await web.locator(':scope > .node .b-healthy').waitFor({ timeout: 180_000 });
    expect(await page.evaluate(() => (globalThis as unknown as Any).notReloaded)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'source-tree.png'), fullPage: true });
    await page.setViewportSize({ width: 1000, height: 600 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'readme.png') });
    // Deployment → ReplicaSet → 3 Pods, Service → Endpoints, Ingress → Service.
    expect(await web.locator('li[data-key^="ReplicaSet/default/web-"]').count()).toBeGreaterThan(0);
    await expect
      .poll(() => web.locator('li[data-key^="Pod/default/web-"][data-health="Healthy"]').count(), {
        timeout: 60_000,
      })
      .toBe(3);
    expect(
      await page
        .locator('li[data-key="Service/default/web"] li[data-key="Endpoints/default/web"]')
        .count(),
    ).toBe(1);
    expect(
      await page.locator('li[data-key^="Ingress/"] li[data-key="Service/default/web"]').count(),
    ).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'source-tree.png'), fullPage: true });
    await axe(page, 'source page');
    await page.goto(`${url}/`);
    await expect
      .poll(() => page.locator('tr', { hasText: 'example' }).locator('.b-healthy').count())
      .toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sources.png') });
    await axe(page, 'sources page');
    await page.close();
  }, 300_000);

  it('answers the JSON API in the CLI -o json shapes, and as its OpenAPI document says', async () => {
    await observe.until(
      'example healthy',
      async () => (await source()).status.health.status === 'Healthy',
      120_000,
    );
    // The same shapes as the CLI's -o json (the same builders): compare once both settle.
    await observe.until('status -o json equal', async () => {
      const [api, cliOut] = [
        await get('/api/v1/sources'),
        JSON.parse((await cli('status', '-o', 'json')).stdout),
      ];
      return JSON.stringify(api) === JSON.stringify(cliOut);
    });
    const pods = await get('/api/v1/objects/pods?namespace=default');
    const cliPods = JSON.parse((await cli('get', 'pods', '-o', 'json')).stdout) as Any;
    expect(pods.items.map((p: Any) => p.metadata.name)).toEqual(
      cliPods.items.map((p: Any) => p.metadata.name),
    );
    expect(pods.kind).toBe('List');
    expect((await get('/api/v1/objects/deploy/web')).status.readyReplicas).toBe(3);
    const history = await get('/api/v1/sources/example/history');
    expect(history.items[0]).toMatchObject({ kind: 'Revision', status: { result: 'Valid' } });
    // The OpenAPI document: every GET without path parameters, and some with, answer what it says.
    const doc = await get('/api/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false });
    const sha = history.items[0].metadata.name as string;
    const pod = pods.items[0].metadata.name as string;
    const concrete: Record<string, string> = {
      '/healthz': '/healthz',
      '/api/v1/sources': '/api/v1/sources',
      '/api/v1/sources/{source}': '/api/v1/sources/example',
      '/api/v1/sources/{source}/history': '/api/v1/sources/example/history',
      '/api/v1/sources/{source}/events': '/api/v1/sources/example/events',
      '/api/v1/sources/{source}/tree': '/api/v1/sources/example/tree',
      '/api/v1/events': '/api/v1/events',
      '/api/v1/objects/{resource}': '/api/v1/objects/deployments',
      '/api/v1/objects/{resource}/{name}': '/api/v1/objects/svc/web',
      '/api/v1/objects/{resource}/{name}/events': '/api/v1/objects/deploy/web/events',
      '/api/openapi.json': '/api/openapi.json',
    };
    for (const [template, concretePath] of Object.entries(concrete)) {
      const op = doc.paths[template]?.get;
      expect(op, template).toBeDefined();
      const schema = op.responses['200'].content['application/json'].schema;
      const body = await get(concretePath);
      expect(ajv.validate(schema, body), `${template}: ${ajv.errorsText()}`).toBe(true);
    }
    expect(doc.paths['/api/v1/sources/{source}/rollback'].post.security).toEqual([{ bearer: [] }]);
    const plan = await fetch(`${url}/api/v1/sources/example/revisions/${sha}/plan`);
    expect(await plan.text()).toContain(`Plan for example @ ${sha.slice(0, 7)}`);
    const log = await fetch(`${url}/api/v1/namespaces/default/pods/${pod}/log?tail=5`);
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toContain('text/plain');
  }, 300_000);

  it('/metrics passes promtool and moves with real activity; a Secret stays redacted everywhere', async () => {
    const scrape = async () => {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      return res.text();
    };
    const before = await scrape();
    const file = path.join(dir, 'metrics.txt');
    writeFileSync(file, before);
    const check = await run('sh', ['-c', `promtool check metrics < ${file}`]).catch((e) => e);
    expect(check.code ?? 0, `${check.stdout}${check.stderr}`).toBe(0);
    for (const family of [
      'berth_source_info',
      'berth_source_sync_status',
      'berth_source_health_status',
      'berth_source_last_sync_timestamp_seconds',
      'berth_reconcile_total',
      'berth_reconcile_duration_seconds_bucket',
      'berth_queue_depth',
      'berth_queue_active',
      'berth_queue_failed',
      'berth_pods',
      'berth_container_restarts_total',
      'berth_revisions_total',
      'process_cpu_seconds_total',
    ])
      expect(before, family).toMatch(new RegExp(`^${family}[{ ]`, 'm'));
    expect(before).toMatch(
      /^berth_source_health_status\{source="example",berth_source_health_status="Healthy"\} 1$/m,
    );
    const valid = (text: string) =>
      Number(
        /^berth_revisions_total\{source="example",result="valid"\} (\d+)/m.exec(text)?.[1] ?? 0,
      );
    const reconciles = (text: string) =>
      [...text.matchAll(/^berth_reconcile_total\{[^}]*\} (\d+)/gm)].reduce(
        (n, m) => n + Number(m[1]),
        0,
      );
    // A commit: a new revision (with a Secret), validated, synced.
    const sha = await commitFiles(
      repo,
      {
        'web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: dashboard\nstringData:\n  token: ${SECRET}\n`,
      },
      'Add a Secret',
    );
    await observe.until(
      'secret applied',
      async () => (await source()).status.revision === sha,
      120_000,
    );
    // The sync's own reconcile is counted when it returns, a moment after the state says applied.
    const after = await observe.until('reconciles counted', async () => {
      const text = await scrape();
      return reconciles(text) > reconciles(before) && text;
    });
    expect(valid(after)).toBe(valid(before) + 1);
    expect(after).toContain(`revision="${sha}"`);
    const secrets = await get('/api/v1/objects/secrets');
    expect(secrets.items[0].stringData.token).toBe('<redacted>');
    for (const p of [
      '/api/v1/objects/secrets',
      '/api/v1/objects/secrets/dashboard',
      '/objects/secrets/default/dashboard',
    ])
      expect(await (await fetch(`${url}${p}`)).text()).not.toContain(SECRET);
  }, 300_000);

  it('the history shows a new commit without reload, opens a pod log, and rolls back from the UI', async () => {
    const page = await (context as BrowserContext).newPage();
    await page.goto(`${url}/sources/example/history`);
    await page.evaluate(() => {
      (globalThis as unknown as Any).notReloaded = true;
    });
    const previous = (await source()).status.revision as string;
    const sha = await commitFiles(
      repo,
      {
        'web/configmap.yaml': readFileSync(path.join(repo, 'web/configmap.yaml'), 'utf8').replace(
          /<\/h1>/,
          ' (changed)</h1>',
        ),
      },
      'Change the page title',
    );
    await page.locator(`li[data-revision="${sha}"]`).waitFor({ timeout: 120_000 });
    expect(await page.evaluate(() => (globalThis as unknown as Any).notReloaded)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'history.png'), fullPage: true });
    await axe(page, 'history page');
    await observe.until(
      'change applied and healthy',
      async () => {
        const st = (await source()).status;
        return st.revision === sha && st.health.status === 'Healthy';
      },
      180_000,
    );

    // A pod's logs (busybox httpd -v logs every readiness probe).
    const pods = await get('/api/v1/objects/pods?labelSelector=app.kubernetes.io/name%3Dweb');
    await page.goto(`${url}/objects/pods/default/${pods.items[0].metadata.name}`);
    // A fresh pod may not have logged yet: ask again until it has.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Show' }).click();
          await page.waitForTimeout(500);
          return page.locator('pre.log').textContent();
        },
        { timeout: 60_000 },
      )
      .toMatch(/response:200/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'pod-logs.png') });
    await axe(page, 'pod page');

    // Roll back to the revision before the change: the dialog shows the revert's plan first.
    await page.goto(`${url}/sources/example/history`);
    await page.locator(`button[data-to="${previous}"]`).click();
    await page.locator('#dialog input[name="token"]').fill(token);
    await page.locator('#dialog-ok').click();
    await expect
      .poll(
        async () =>
          `${await page.locator('#dialog-title').textContent()} | ${await page.locator('#announce').textContent()}`,
        { timeout: 90_000 },
      )
      .toContain('Roll back example');
    await expect
      .poll(() => page.locator('#dialog .revert-plan').textContent())
      .toContain('ConfigMap');
    await page.screenshot({ path: path.join(ARTIFACTS, 'rollback-confirm.png') });
    await page.locator('#dialog-ok').click();
    await expect
      .poll(() => page.locator('#announce').textContent(), { timeout: 60_000 })
      .toContain('Rollback committed');
    expect(await git(repo, 'log', '-1', '--format=%s')).toMatch(/^Revert "Change the page title"/);
    const revert = await git(repo, 'rev-parse', 'HEAD');
    await page.locator(`li[data-revision="${revert}"]`).waitFor({ timeout: 120_000 });
    expect(await page.locator(`#rev-${sha} .links`).textContent()).toContain(
      `reverted by ${revert.slice(0, 7)}`,
    );
    await observe.until(
      'revert applied',
      async () => (await source()).status.revision === revert,
      120_000,
    );
    await page.close();
  }, 420_000);
});

/** Runs axe-core in the page: no serious or critical violation. */
async function axe(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(): Promise<Any> } }).axe.run(),
  )) as Any;
  const bad = (result.violations as Any[]).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    what,
  ).toEqual([]);
}
