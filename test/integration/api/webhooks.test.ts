import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  startApiServer,
  WebhookHandler,
  type WebhookTarget,
} from '../../../src/api/index.js';
import { createSourceWatcher, type SourceWatcher } from '../../../src/source/index.js';
import { WebhookDeliveries } from '../../../src/store/index.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { capturedLogger, sourceConfig } from '../source/source-helpers.js';
import { type Provider, pushBody, SIGNATURE_HEADER, signedHeaders } from './webhook-signing.js';

const HOUR = 3_600_000;

/** A webhook answer: a status, or an error. */
interface Answer {
  status?: string;
  reason?: string;
  error: { code: string; message: string };
  [key: string]: unknown;
}
const PROVIDERS: Provider[] = ['github', 'gitlab', 'gitea', 'generic'];
const SECRETS: Record<Provider, string> = {
  github: 'gh-Secret-0001',
  gitlab: 'gl-Secret-0002',
  gitea: 'gt-Secret-0003',
  generic: 'gn-Secret-0004',
};

// Each provider has its own source, all following `main` of one repository on a real git
// server through real watchers: an accepted webhook must end in a fetch of the pushed commit.
describe('webhooks: the signature matrix of every provider', () => {
  const tmp = useTempDir();
  const redis = useRedis();
  const log = capturedLogger();
  let gitServer: GitServer;
  let api: ApiServer;
  let work: string;
  const watchers = new Map<string, SourceWatcher>();
  const refreshes: string[] = [];
  const env: NodeJS.ProcessEnv = { GIT_TOKEN: 's3cret-token' };

  beforeAll(async () => {
    gitServer = await startGitServer({ root: path.join(tmp, 'srv') });
    await gitServer.createRepo('app');
    work = await initRepo(path.join(tmp, 'work'));
    await commitFiles(work, { 'deploy/app.yaml': 'kind: ConfigMap\n' }, 'first');
    await git(work, 'push', '--quiet', gitServer.authedRepoUrl('app'), 'main');
    const targets = new Map<string, WebhookTarget>();
    for (const provider of [...PROVIDERS, 'nosecret' as const]) {
      const secretEnv = `HOOK_${provider.toUpperCase()}`;
      if (provider !== 'nosecret') env[secretEnv] = SECRETS[provider];
      const source = sourceConfig({
        name: provider,
        repo: gitServer.repoUrl('app'),
        auth: { username: gitServer.username, password: { env: 'GIT_TOKEN' } },
        ...(provider !== 'nosecret' ? { webhookSecret: { env: secretEnv } } : {}),
      });
      source.intervalMs = HOUR;
      const watcher = createSourceWatcher({
        source,
        stateDir: path.join(tmp, 'state'),
        env,
        retryBaseMs: HOUR,
      });
      await watcher.start();
      watchers.set(provider, watcher);
      targets.set(provider, {
        source,
        refresh: (trigger) => {
          refreshes.push(provider);
          return watcher.refresh(trigger);
        },
      });
    }
    const handler = new WebhookHandler({
      target: (name) => targets.get(name),
      deliveries: new WebhookDeliveries(redis.client, redis.prefix),
      env,
      logger: log.logger,
      rateLimit: { burst: 1000 },
    });
    api = await startApiServer({ port: 0, webhooks: handler, logger: log.logger });
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([...watchers.values()].map((w) => w.stop()));
    await gitServer?.stop();
  });

  const post = async (name: string, body: string | Buffer, headers: Record<string, string>) => {
    const res = await fetch(`${api.url}/api/v1/webhooks/${name}`, {
      method: 'POST',
      body,
      headers,
    });
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) as Answer };
  };
  /** A valid push to main of a fresh commit, and proof that it was fetched. */
  const validPush = async (provider: Provider) => {
    const sha = await commitFiles(work, {}, `for ${provider}`);
    await git(work, 'push', '--quiet', gitServer.authedRepoUrl('app'), 'main');
    const body = pushBody('refs/heads/main', sha);
    const before = refreshes.length;
    const res = await post(provider, body, signedHeaders(provider, SECRETS[provider], body));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({
      status: 'accepted',
      source: provider,
      provider,
      ref: 'refs/heads/main',
      action: 'fetch',
    });
    await eventually(() => watchers.get(provider)?.status().revision?.sha === sha);
    expect(refreshes.length).toBe(before + 1);
    expect(watchers.get(provider)?.status().events.at(-1)).toMatchObject({
      reason: 'NewRevision',
      trigger: 'webhook',
    });
    return sha;
  };
  /** Asserts that a refused or ignored request started no fetch: the next valid push is the only one. */
  const nothingHappened = async (provider: Provider, before: number) => {
    await validPush(provider);
    expect(refreshes.length).toBe(before + 1);
  };

  describe.each(PROVIDERS)('%s', (provider) => {
    const secret = SECRETS[provider];

    it('valid: a push to the tracked branch answers 202 and fetches the commit', async () => {
      await validPush(provider);
    });

    it('missing signature: 401, nothing else happens', async () => {
      const before = refreshes.length;
      const body = pushBody('refs/heads/main');
      const headers = signedHeaders(provider, secret, body);
      delete headers[SIGNATURE_HEADER[provider]];
      const res = await post(provider, body, headers);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('WebhookUnsigned');
      await nothingHappened(provider, before);
    });

    it('forged (wrong secret, or a tampered body): 403 naming the reason, never the secret', async () => {
      const before = refreshes.length;
      const body = pushBody('refs/heads/main');
      const forged = await post(provider, body, signedHeaders(provider, 'not-the-secret', body));
      expect(forged.status).toBe(403);
      expect(forged.json.error).toMatchObject({ code: 'WebhookSignatureInvalid' });
      expect(forged.json.error.message).toContain('does not match');
      expect(forged.text).not.toContain(secret);
      if (provider !== 'gitlab') {
        const tampered = await post(
          provider,
          pushBody('refs/heads/main', 'b'.repeat(40)),
          signedHeaders(provider, secret, body),
        );
        expect(tampered.status).toBe(403);
      }
      await nothingHappened(provider, before);
    });

    it('oversized (over 1 MiB): 413', async () => {
      const before = refreshes.length;
      const body = JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(1024 * 1024) });
      const res = await post(provider, body, signedHeaders(provider, secret, body));
      expect(res.status).toBe(413);
      expect(res.json.error.code).toBe('WebhookBodyTooLarge');
      await nothingHappened(provider, before);
    });

    it('replayed delivery ID: acknowledged as a duplicate and ignored', async () => {
      const body = pushBody('refs/heads/main', 'c'.repeat(40));
      const headers = signedHeaders(provider, secret, body, `replay-${provider}`);
      const initial = refreshes.length;
      const first = await post(provider, body, headers);
      expect(first.status).toBe(202);
      await eventually(() => refreshes.length === initial + 1);
      const before = refreshes.length;
      const again = await post(provider, body, headers);
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ status: 'duplicate', delivery: `replay-${provider}` });
      await nothingHappened(provider, before);
    });

    it('push to another branch: 202, acknowledged and ignored', async () => {
      const before = refreshes.length;
      const body = pushBody('refs/heads/feature');
      const res = await post(provider, body, signedHeaders(provider, secret, body));
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ status: 'ignored', ref: 'refs/heads/feature' });
      expect(res.json.reason).toContain('not the tracked refs/heads/main');
      await nothingHappened(provider, before);
    });
  });

  it('refuses unknown sources, sources without a webhook secret, other methods, and unsigned requests', async () => {
    const before = refreshes.length;
    const body = pushBody('refs/heads/main');
    expect((await post('nope', body, signedHeaders('github', SECRETS.github, body))).status).toBe(
      404,
    );
    const disabled = await post('nosecret', body, signedHeaders('github', SECRETS.github, body));
    expect(disabled.status).toBe(403);
    expect(disabled.json.error.code).toBe('WebhookNotConfigured');
    const get = await fetch(`${api.url}/api/v1/webhooks/github`);
    expect(get.status).toBe(405);
    const bare = await post('github', body, { 'content-type': 'application/json' });
    expect(bare.status).toBe(401);
    expect(refreshes.length).toBe(before);
  });

  it('answers 413 at once to a declared 20 MiB body, without reading it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${api.url}/api/v1/webhooks/github`, {
        method: 'POST',
        headers: { 'content-length': String(20 * 1024 * 1024), 'x-github-event': 'push' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('{"ref":');
    });
    expect(status).toBe(413);
  });

  it('never writes a secret to the log', () => {
    const all = log.lines.join('');
    expect(all).toContain('webhook for source github');
    for (const secret of [...Object.values(SECRETS), env.GIT_TOKEN as string])
      expect(all).not.toContain(secret);
  });
});

describe('webhooks: rate limit and replay guard across processes', () => {
  const redis = useRedis();
  let api: ApiServer;
  const calls: string[] = [];
  const env = { HOOK: 'rate-secret' };
  const source = sourceConfig({
    name: 'app',
    repo: 'https://git.example.test/app.git',
    webhookSecret: { env: 'HOOK' },
  });
  beforeAll(async () => {
    const handler = new WebhookHandler({
      target: (name) =>
        name === 'app' ? { source, refresh: () => calls.push('refresh') } : undefined,
      deliveries: new WebhookDeliveries(redis.client, redis.prefix),
      env,
      rateLimit: { burst: 3, perMinute: 1 },
    });
    api = await startApiServer({ port: 0, webhooks: handler });
  });
  afterAll(() => api?.close());

  it('forged deliveries do not use up the rate limit: after 25 of them a valid push is accepted', async () => {
    for (let i = 0; i < 25; i++) {
      const body = pushBody('refs/heads/main', `f${i}`.padEnd(40, '0'));
      const res = await fetch(`${api.url}/api/v1/webhooks/app`, {
        method: 'POST',
        body,
        headers: signedHeaders('generic', 'not-the-secret', body),
      });
      expect(res.status).toBe(403);
      await res.text();
    }
    const body = pushBody('refs/heads/main', 'e'.repeat(40));
    const res = await fetch(`${api.url}/api/v1/webhooks/app`, {
      method: 'POST',
      body,
      headers: signedHeaders('generic', env.HOOK, body),
    });
    expect(res.status).toBe(202);
    await res.text();
    await eventually(() => calls.length === 1);
  });

  it('a signed delivery replayed under a new delivery ID is a duplicate', async () => {
    const body = pushBody('refs/heads/main', 'd'.repeat(40));
    const post = (delivery: string) =>
      fetch(`${api.url}/api/v1/webhooks/app`, {
        method: 'POST',
        body,
        headers: signedHeaders('generic', env.HOOK, body, delivery),
      });
    const first = await post('original');
    expect(first.status).toBe(202);
    await first.text();
    await eventually(() => calls.length === 2);
    const replay = await post('replayed-with-a-new-id');
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'duplicate' });
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.length).toBe(2);
  });

  it('answers 429 with Retry-After past the per-source burst of valid deliveries', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const body = pushBody('refs/heads/main', String(i).repeat(40));
      const res = await fetch(`${api.url}/api/v1/webhooks/app`, {
        method: 'POST',
        body,
        headers: signedHeaders('generic', env.HOOK, body),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.text();
    }
    // The burst of 3 is spent by the valid deliveries above (a replay counts: it is signed).
    expect(statuses).toEqual([429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(calls.length).toBe(2);
  });

  it('a delivery ID is accepted once even by two Berth processes sharing Redis', async () => {
    const a = new WebhookDeliveries(redis.client, redis.prefix);
    const other = redis.client.duplicate();
    try {
      const b = new WebhookDeliveries(other, redis.prefix, { ttlMs: 60_000 });
      const results = await Promise.all([
        a.claim('app', 'd-1'),
        b.claim('app', 'd-1'),
        a.claim('app', 'd-1'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await redis.client.pttl(`${redis.prefix}:webhook-delivery:app:d-1`)).toBeGreaterThan(
        0,
      );
      expect(await b.claim('other', 'd-1')).toBe(true);
    } finally {
      other.disconnect();
    }
  });
});
