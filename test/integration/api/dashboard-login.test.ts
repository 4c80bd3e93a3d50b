import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  StateReader,
  sourceActions,
  startApiServer,
} from '../../../src/api/index.js';
import { compileConfig } from '../../../src/config/index.js';
import { RedisObjectStore, SourceStateStore } from '../../../src/store/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { useDocker } from '../../harness/docker.js';
import { eventually } from '../../harness/eventually.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const require = createRequire(import.meta.url);
const ARTIFACTS = path.resolve('test-artifacts', 'dashboard');
const TOKEN = `login-token-${randomBytes(12).toString('hex')}`;

// The dashboard off loopback: the API server listens on the gateway address of a Docker bridge
// network this test creates (a host address that is not loopback), and Debian's chromium
// reaches it there, so the server sees a non-loopback client: no anonymous reads, a login form.
describe('dashboard login for a client off loopback (chromium)', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const logLines: string[] = [];
  let api: ApiServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A bridge network of our own; its gateway is an address of this host, not loopback.
    let gateway: string | undefined;
    for (let attempt = 0; attempt < 5 && !gateway; attempt++) {
      const net = `10.${150 + randomInt(50)}.${randomInt(256)}`;
      try {
        await docker.docker.createNetwork({
          Name: `berth-login-${docker.id}-${attempt}`,
          Driver: 'bridge',
          Labels: docker.labels,
          IPAM: { Config: [{ Subnet: `${net}.0/24`, Gateway: `${net}.1` }] },
        });
        gateway = `${net}.1`;
      } catch (err) {
        if (!/overlap/i.test(String(err))) throw err;
      }
    }
    if (!gateway) throw new Error('no free /24 for the test network');
    const prefix = redis.prefix;
    const objects = new RedisObjectStore(redis.client, prefix);
    await objects.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', annotations: { 'berth.dev/source': 'shop' } },
      spec: { replicas: 1 },
    });
    await new SourceStateStore(redis.client, prefix).update('shop', {
      repo: '/srv/shop',
      ref: 'branch main',
      sync: 'Synced',
      health: 'Healthy',
    });
    const config = compileConfig({
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        redis: { keyPrefix: prefix },
        sources: [{ name: 'shop', repo: '/srv/shop' }],
      } as never,
      cwd: dir,
      env: {},
    });
    api = await startApiServer({
      host: gateway,
      port: 0,
      token: TOKEN,
      state: new StateReader({ redis: redis.client, prefix, instance: docker.id, sources: [] }),
      actions: sourceActions({
        config,
        redis: redis.client,
        watcher: () => undefined,
        plan: async () => undefined,
      }),
      logger: createLogger({
        level: 'debug',
        format: 'json',
        destination: { write: (line: string) => logLines.push(line) },
      }),
    });
    base = api.url;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** Everything the browser holds: the page's HTML and every cookie. */
  async function exposed(context: BrowserContext, page: Page): Promise<string> {
    const cookies = await context.cookies();
    return `${await page.content()}\n${JSON.stringify(cookies)}`;
  }

  it('the server sees this client as off loopback: reads need the token', async () => {
    expect(base).not.toContain('127.0.0.1');
    const res = await fetch(`${base}/api/v1/sources`);
    expect(res.status).toBe(401);
    const page = await fetch(`${base}/sources/shop`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fsources%2Fshop');
  });

  it('without login: the login page; a wrong token: an error; the right one: views and actions', async () => {
    // bypassCSP only lets axe-core's script tag in.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${base}/sources/shop`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'login.png') });

    await page.getByLabel('API token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('not the API token');
    expect(await context.cookies()).toEqual([]);
    expect(await page.content()).not.toContain('not-the-token');
    await axe(page, 'login page with its error');

    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/sources/shop`);
    await page.locator('li[data-key="Deployment/default/web"]').waitFor();
    const [cookie, ...more] = await context.cookies();
    expect(more).toEqual([]);
    expect(cookie).toMatchObject({ name: 'berth_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie?.secure).toBe(false); // plain HTTP here; Secure over TLS
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await exposed(context, page)).not.toContain(TOKEN);
    // Read API and live stream with the cookie alone.
    expect(await page.evaluate(async () => (await fetch('/api/v1/sources')).status)).toBe(200);

    // An action from the page: Suspend, then Resume (real writes to the source's state).
    const states = new SourceStateStore(redis.client, redis.prefix);
    await page.getByRole('button', { name: 'Suspend' }).click();
    await eventually(async () => (await states.get('shop'))?.suspended === true, {
      what: 'the source to be suspended',
    });
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await eventually(async () => (await states.get('shop'))?.suspended === false, {
      what: 'the source to be resumed',
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'logged-in.png') });
    expect(await exposed(context, page)).not.toContain(TOKEN);

    // An action with the cookie but without the page's CSRF token, or from another origin: 403.
    const forged = await page.evaluate(async () => {
      const noCsrf = await fetch('/api/v1/sources/shop/suspend', { method: 'POST' });
      return noCsrf.status;
    });
    expect(forged).toBe(403);
    const csrf = await page.locator('meta[name="berth-csrf"]').getAttribute('content');
    const sessionId = cookie?.value as string;
    const crossSite = await fetch(`${base}/api/v1/sources/shop/suspend`, {
      method: 'POST',
      headers: {
        cookie: `berth_session=${sessionId}`,
        'x-berth-csrf': csrf as string,
        origin: 'http://evil.example',
      },
    });
    expect(crossSite.status).toBe(403);
    expect((await states.get('shop'))?.suspended).toBe(false);

    // Log out: the session is gone server-side, the cookie cleared, pages go to the login again.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    expect(await context.cookies()).toEqual([]);
    const replay = await fetch(`${base}/api/v1/sources`, {
      headers: { cookie: `berth_session=${sessionId}` },
    });
    expect(replay.status).toBe(401);
    await page.goto(`${base}/sources/shop/history`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
    expect(logLines.join('')).not.toContain(TOKEN);
    expect(logLines.join('')).toContain('source suspend over the API');
  }, 180_000);

  it('a session expires: its cookie no longer reads', async () => {
    const short = await startApiServer({
      host: new URL(base).hostname,
      port: 0,
      token: TOKEN,
      sessionTtlMs: 1000,
      state: new StateReader({
        redis: redis.client,
        prefix: redis.prefix,
        instance: docker.id,
        sources: [],
      }),
    });
    try {
      const login = await fetch(`${short.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: TOKEN, next: '/sources/shop' }).toString(),
      });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/sources/shop');
      const setCookie = login.headers.get('set-cookie') as string;
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).not.toContain(TOKEN);
      const cookie = setCookie.split(';')[0] as string;
      expect((await fetch(`${short.url}/api/v1/sources`, { headers: { cookie } })).status).toBe(
        200,
      );
      await eventually(
        async () =>
          (await fetch(`${short.url}/api/v1/sources`, { headers: { cookie } })).status === 401,
        { what: 'the session to expire' },
      );
      // An off-site `next` is not followed.
      const offsite = await fetch(`${short.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: TOKEN, next: '//evil.example/' }).toString(),
      });
      expect(offsite.headers.get('location')).toBe('/');
    } finally {
      await short.close();
    }
  });
});

/** axe-core in the page: no serious or critical violation. */
async function axe(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = (await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; help: string }[] }> };
      }
    ).axe.run(),
  )) as { violations: { id: string; impact: string; help: string }[] };
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.help}`),
    what,
  ).toEqual([]);
}
