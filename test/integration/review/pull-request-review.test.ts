import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiServer,
  startApiServer,
  WebhookHandler,
  type WebhookTarget,
} from '../../../src/api/index.js';
import {
  type BerthConfig,
  type BerthConfigFile,
  compileConfig,
} from '../../../src/config/index.js';
import type { ValidateOptions } from '../../../src/manifests/index.js';
import { PullRequestReviewer } from '../../../src/review/index.js';
import { WebhookDeliveries } from '../../../src/store/index.js';
import { eventually } from '../../harness/eventually.js';
import { type FakeForge, type ForgeName, startFakeForge } from '../../harness/fake-forge.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { capturedLogger } from '../source/source-helpers.js';
import {
  pullRequestBody,
  pullRequestHeaders,
  type TestPullRequest,
} from './pull-request-payloads.js';

const FORGES: ForgeName[] = ['github', 'gitlab', 'gitea'];
const HOOK_SECRET = 'hook-Secret-77';
const TOKENS: Record<ForgeName, string> = {
  github: 'ghp_TOKEN_github_1234',
  gitlab: 'glpat-TOKEN-gitlab-5678',
  gitea: 'gitea_TOKEN_9012',
};
/** What the forge's status names a failure. */
const FAILURE: Record<ForgeName, string> = {
  github: 'failure',
  gitlab: 'failed',
  gitea: 'failure',
};

const configMap = (greeting: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\ndata:\n  greeting: ${greeting}\n`;
const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ${image}
          env:
            - name: GREETING
              valueFrom: {configMapKeyRef: {name: api-config, key: greeting}}
`;
// Line 17 names a ConfigMap no file defines.
const broken = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  replicas: 1
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
        - name: worker
          image: berth.local/busybox:1
          envFrom:
            - configMapRef: {name: missing-config}
`;

// One repository on a real git server; one source per forge, each with its own fake forge
// recording what Berth's client libraries send; the real webhook handler and API server.
describe('pull-request review: plan comment and commit status on each forge', () => {
  const tmp = useTempDir();
  const redis = useRedis();
  const log = capturedLogger();
  let gitServer: GitServer;
  let api: ApiServer;
  let work: string;
  let reviewer: PullRequestReviewer;
  let config: BerthConfig;
  const forges = new Map<ForgeName, FakeForge>();
  const reviewsStarted: string[] = [];
  const env: NodeJS.ProcessEnv = { GIT_TOKEN: 's3cret-token', HOOK_SECRET };
  const shas: Record<string, string> = {};

  const push = (branch: string) =>
    git(work, 'push', '--quiet', '--force', gitServer.authedRepoUrl('shop'), branch);

  beforeAll(async () => {
    gitServer = await startGitServer({ root: path.join(tmp, 'srv') });
    await gitServer.createRepo('shop');
    work = await initRepo(path.join(tmp, 'work'));
    shas.base = await commitFiles(
      work,
      { 'deploy/cm.yaml': configMap('hello'), 'deploy/api.yaml': deployment('api:1') },
      'Base',
    );
    await push('main');
    await git(work, 'checkout', '--quiet', '-b', 'feature');
    shas.feature1 = await commitFiles(
      work,
      {
        'deploy/api.yaml': deployment('api:2'),
        'deploy/extra.yaml': configMap('x').replace('api-config', 'extra'),
      },
      'New image and an extra ConfigMap',
    );
    await push('feature');
    await git(work, 'checkout', '--quiet', '-b', 'broken', 'main');
    shas.broken = await commitFiles(work, { 'deploy/worker.yaml': broken }, 'Broken worker');
    await push('broken');
    await git(work, 'checkout', '--quiet', 'feature');

    const sources: NonNullable<BerthConfigFile['sources']> = [];
    for (const forge of FORGES) {
      const fake = await startFakeForge(forge);
      forges.set(forge, fake);
      env[`TOKEN_${forge.toUpperCase()}`] = TOKENS[forge];
      sources.push({
        name: forge,
        repo: gitServer.repoUrl('shop'),
        path: 'deploy',
        auth: { username: gitServer.username, password: { env: 'GIT_TOKEN' } },
        webhookSecret: { env: 'HOOK_SECRET' },
        review: {
          forge,
          baseUrl: fake.baseUrl,
          repository: 'team/shop',
          token: { env: `TOKEN_${forge.toUpperCase()}` },
        },
      });
    }
    sources.push({
      name: 'plain',
      repo: gitServer.repoUrl('shop'),
      auth: { username: gitServer.username, password: { env: 'GIT_TOKEN' } },
      webhookSecret: { env: 'HOOK_SECRET' },
    });
    config = compileConfig({
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        stateDir: path.join(tmp, 'state'),
        redis: { url: REDIS_URL },
        sources,
      },
      env: {},
      cwd: tmp,
    });
    const policy: ValidateOptions = { podSecurity: 'baseline' };
    reviewer = new PullRequestReviewer({ config, policy, logger: log.logger, env });
    const targets = new Map<string, WebhookTarget>(
      config.sources.map((source) => [source.name, { source, refresh: () => {} }]),
    );
    const handler = new WebhookHandler({
      target: (name) => targets.get(name),
      deliveries: new WebhookDeliveries(redis.client, redis.prefix),
      onPullRequest: (source, pr) => {
        reviewsStarted.push(`${source.name}#${pr.number}`);
        return reviewer.review(source, pr);
      },
      env,
      logger: log.logger,
      rateLimit: { burst: 1000 },
    });
    api = await startApiServer({ port: 0, webhooks: handler, logger: log.logger });
  });
  afterAll(async () => {
    await reviewer?.idle();
    await api?.close();
    await Promise.all([...forges.values()].map((f) => f.close()));
    await gitServer?.stop();
  });

  /** Sends a signed pull-request webhook for `source` as `forge` sends it; returns the answer. */
  // `edited`: the same pull request in a body that differs (as a title edit's does): the same
  // signed body twice is a replay, which Berth refuses (issue #15).
  const send = async (source: string, forge: ForgeName, pr: TestPullRequest, edited = false) => {
    const body = `${pullRequestBody(forge, pr)}${edited ? '\n' : ''}`;
    const res = await fetch(`${api.url}/api/v1/webhooks/${source}`, {
      method: 'POST',
      body,
      headers: pullRequestHeaders(forge, HOOK_SECRET, body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const opened = (forge: ForgeName, number: number, head: string, headRef = 'feature') => ({
    action: forge === 'gitlab' ? 'open' : 'opened',
    number,
    headSha: head,
    headRef,
    baseSha: shas.base as string,
    baseRef: 'main',
  });
  const updated = (forge: ForgeName, pr: TestPullRequest, head: string) => ({
    ...pr,
    headSha: head,
    action: { github: 'synchronize', gitlab: 'update', gitea: 'synchronized' }[forge],
  });

  describe.each(FORGES)('%s', (forge) => {
    const number = { github: 11, gitlab: 12, gitea: 13 }[forge];
    const fake = () => forges.get(forge) as FakeForge;
    const commentsOf = (pr: number) => fake().comments.filter((c) => c.pr === pr);

    it('an opened pull request gets one plan comment and a success status on its head', async () => {
      const pr = opened(forge, number, shas.feature1 as string);
      const release = fake().hold();
      const res = await send(forge, forge, pr);
      // The answer came while the forge had not answered anything: it never waits for the forge.
      expect(fake().statuses).toEqual([]);
      release();
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({
        status: 'accepted',
        source: forge,
        provider: forge,
        pullRequest: number,
        action: 'review',
        head: shas.feature1,
      });
      await eventually(() => fake().statuses.length === 1);
      expect(fake().statuses[0]).toEqual({
        sha: shas.feature1,
        state: 'success',
        context: 'berth/plan',
        description: '1 to create, 1 to update, 0 to delete',
      });
      const comments = commentsOf(number);
      expect(comments).toHaveLength(1);
      const body = comments[0]?.body ?? '';
      expect(body.split('\n')[0]).toBe(`<!-- berth-plan:${forge} -->`);
      expect(body).toContain((shas.feature1 as string).slice(0, 7));
      expect(body).toContain((shas.base as string).slice(0, 7));
      expect(body).toContain('ConfigMap');
      expect(body).toContain('extra');
      expect(body).toContain('api:2');
      // The token went to the forge, in the header its API expects, and nowhere in the logs.
      const request = fake().requests[0];
      const sent = forge === 'gitlab' ? request?.privateToken : request?.authorization;
      expect(sent).toContain(TOKENS[forge]);
      expect(log.lines.join('')).not.toContain(TOKENS[forge]);
    });

    it('a second push edits the same comment and sets the status of the new head', async () => {
      await git(work, 'checkout', '--quiet', 'feature');
      const head2 = await commitFiles(
        work,
        { 'deploy/cm.yaml': configMap(`bonjour-${forge}`) },
        `Greeting for ${forge}`,
      );
      await push('feature');
      const pr = updated(forge, opened(forge, number, shas.feature1 as string), head2);
      const res = await send(forge, forge, pr);
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ status: 'accepted', head: head2 });
      await eventually(() => fake().statuses.some((s) => s.sha === head2));
      expect(fake().statuses.find((s) => s.sha === head2)).toMatchObject({
        state: 'success',
        description: '1 to create, 2 to update, 0 to delete',
      });
      const comments = commentsOf(number);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain(head2.slice(0, 7));
      expect(comments[0]?.body).toContain(`bonjour-${forge}`);
      const editMethod = forge === 'gitlab' ? 'PUT' : 'PATCH';
      expect(fake().requests.filter((r) => r.method === editMethod)).toHaveLength(1);
    });

    it('the same head again (an edit that leaves the head as it is) sends no edit, only the status', async () => {
      const editMethod = forge === 'gitlab' ? 'PUT' : 'PATCH';
      const edits = fake().requests.filter((r) => r.method === editMethod).length;
      const statuses = fake().statuses.length;
      const last = fake().statuses.at(-1) as { sha: string };
      const pr = updated(forge, opened(forge, number, last.sha), last.sha);
      expect((await send(forge, forge, pr, true)).status).toBe(202);
      await eventually(() => fake().statuses.length === statuses + 1);
      expect(fake().requests.filter((r) => r.method === editMethod)).toHaveLength(edits);
      expect(commentsOf(number)).toHaveLength(1);
    });

    it('an invalid revision gets a failure status naming file:line, and the errors in the comment', async () => {
      const pr = opened(forge, number + 100, shas.broken as string, 'broken');
      expect((await send(forge, forge, pr)).status).toBe(202);
      await eventually(() => fake().statuses.some((s) => s.sha === shas.broken));
      const status = fake().statuses.find((s) => s.sha === shas.broken);
      expect(status?.state).toBe(FAILURE[forge]);
      expect(status?.description).toMatch(
        /^invalid: worker\.yaml:17 ConfigMap "missing-config" does not exist/,
      );
      expect(status?.description.length).toBeLessThanOrEqual(140);
      const comment = commentsOf(number + 100)[0]?.body ?? '';
      expect(comment).toContain('worker.yaml');
      expect(comment).toContain('missing-config');
    });

    it('a pull request to another branch is acknowledged and ignored: nothing is posted', async () => {
      const before = fake().requests.length;
      const started = reviewsStarted.length;
      const pr = { ...opened(forge, number + 200, shas.feature1 as string), baseRef: 'release' };
      const res = await send(forge, forge, pr);
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ status: 'ignored', pullRequest: number + 200 });
      expect(String(res.json.reason)).toContain('release');
      await reviewer.idle();
      expect(reviewsStarted.length).toBe(started);
      expect(fake().requests.length).toBe(before);
    });

    it('a closed pull request is acknowledged and ignored', async () => {
      const pr = { ...opened(forge, number, shas.feature1 as string), action: 'closed' };
      const res = await send(forge, forge, pr);
      expect(res.json).toMatchObject({ status: 'ignored', pullRequestAction: 'closed' });
    });

    it('a forge answering 500 is logged with the status; Berth keeps answering and reviews later', async () => {
      fake().failWith = 500;
      const pr = opened(forge, number + 300, shas.feature1 as string);
      const res = await send(forge, forge, pr);
      expect(res.status).toBe(202);
      const line = await eventually(() =>
        log.lines.find((l) => l.includes(`review of pull request #${number + 300} failed`)),
      );
      expect(JSON.parse(line)).toMatchObject({
        level: 'error',
        source: forge,
        pr: number + 300,
        status: 500,
        code: 'ForgeRequestFailed',
      });
      expect(line).not.toContain(TOKENS[forge]);
      fake().failWith = undefined;
      const health = await fetch(`${api.url}/healthz`);
      expect(health.status).toBe(200);
      const again = await send(forge, forge, {
        ...pr,
        action: updated(forge, pr, pr.headSha).action,
      });
      expect(again.status).toBe(202);
      await eventually(() => commentsOf(number + 300).length === 1);
    });
  });

  it('a rejected token (401) is logged with the status and the call, without the token', async () => {
    const fake = forges.get('github') as FakeForge;
    fake.failWith = 401;
    try {
      const res = await send('github', 'github', opened('github', 77, shas.feature1 as string));
      expect(res.status).toBe(202);
      const line = await eventually(() =>
        log.lines.find((l) => l.includes('review of pull request #77 failed')),
      );
      expect(JSON.parse(line)).toMatchObject({ status: 401, code: 'ForgeRequestFailed' });
      expect(line).toContain('github list comments failed: HTTP 401');
      expect(line).not.toContain(TOKENS.github);
    } finally {
      fake.failWith = undefined;
    }
  });

  it('a signed pull-request body without the fields Berth needs is refused with 400', async () => {
    const body = JSON.stringify({ action: 'opened', number: 8 });
    const res = await fetch(`${api.url}/api/v1/webhooks/gitea`, {
      method: 'POST',
      body,
      headers: pullRequestHeaders('gitea', HOOK_SECRET, body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'WebhookBadPayload', message: expect.stringContaining('head.sha') },
    });
  });

  it('a source without review acknowledges pull requests and ignores them', async () => {
    const res = await send('plain', 'github', opened('github', 5, shas.feature1 as string));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: 'ignored', pullRequest: 5 });
    expect(String(res.json.reason)).toContain('no review configured');
  });

  it('a pull-request webhook with a bad signature is refused and reviews nothing', async () => {
    const body = pullRequestBody('github', opened('github', 6, shas.feature1 as string));
    const headers = pullRequestHeaders('github', 'wrong-secret', body);
    const started = reviewsStarted.length;
    const res = await fetch(`${api.url}/api/v1/webhooks/github`, { method: 'POST', body, headers });
    expect(res.status).toBe(403);
    expect(reviewsStarted.length).toBe(started);
  });
});
