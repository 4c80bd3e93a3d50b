import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig } from '../../../src/config/index.js';
import { BerthDaemon } from '../../../src/daemon/index.js';
import { Notifier } from '../../../src/notify/index.js';
import { createStores } from '../../../src/store/index.js';
import { eventually } from '../../harness/eventually.js';
import { type FakeForge, startFakeForge } from '../../harness/fake-forge.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { freePort } from '../../harness/ports.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { capturedLogger } from '../source/source-helpers.js';
import { pullRequestBody, pullRequestHeaders } from './pull-request-payloads.js';

const cm = (v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  v: "${v}"\n`;

// What `berth up` runs: the daemon's own API answers the pull-request webhook of a local
// repository source and its reviewer posts to the (fake) GitHub configured in berth.yaml.
describe('berth up reviews pull requests', () => {
  const tmp = useTempDir();
  const redis = useRedis();
  const log = capturedLogger();
  let forge: FakeForge;
  let daemon: BerthDaemon;
  let url: string;
  let base: string;
  let head: string;

  beforeAll(async () => {
    forge = await startFakeForge('github');
    const repo = await initRepo(path.join(tmp, 'shop'));
    base = await commitFiles(repo, { 'cm.yaml': cm('1') }, 'First');
    await git(repo, 'checkout', '--quiet', '-b', 'feature');
    head = await commitFiles(
      repo,
      { 'cm.yaml': cm('2'), 'b.yaml': cm('b').replace('web', 'b') },
      'Two',
    );
    await git(repo, 'checkout', '--quiet', 'main');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = compileConfig({
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        stateDir: path.join(tmp, 'state'),
        redis: { url: REDIS_URL, keyPrefix: redis.prefix },
        api: { listen: `127.0.0.1:${port}` },
        sources: [
          {
            name: 'shop',
            repo,
            webhookSecret: { env: 'HOOK' },
            review: {
              forge: 'github',
              baseUrl: forge.baseUrl,
              repository: 'team/shop',
              token: { env: 'GH_TOKEN' },
              statusContext: 'deploy/berth',
            },
          },
        ],
      },
      env: {},
      cwd: tmp,
    });
    const env = { HOOK: 'hook-secret', GH_TOKEN: 'ghp_daemon_token' };
    daemon = new BerthDaemon({
      config,
      redis: redis.client,
      stores: createStores(redis.client, config.redis.keyPrefix),
      notifier: new Notifier({ targets: config.notifications, logger: log.logger, env }),
      logger: log.logger,
      policy: {},
      env,
    });
    await daemon.start();
  });
  afterAll(async () => {
    await daemon?.stop();
    await forge?.close();
  });

  it('a signed pull_request webhook ends in the plan comment and a status named statusContext', async () => {
    const body = pullRequestBody('github', {
      action: 'opened',
      number: 4,
      headSha: head,
      headRef: 'feature',
      baseSha: base,
      baseRef: 'main',
    });
    const res = await fetch(`${url}/api/v1/webhooks/shop`, {
      method: 'POST',
      body,
      headers: pullRequestHeaders('github', 'hook-secret', body),
    });
    expect(res.status).toBe(202);
    await eventually(() => forge.statuses.length === 1);
    expect(forge.statuses[0]).toEqual({
      sha: head,
      state: 'success',
      context: 'deploy/berth',
      description: '1 to create, 1 to update, 0 to delete',
    });
    expect(forge.comments).toHaveLength(1);
    expect(forge.comments[0]?.body).toContain('<!-- berth-plan:shop -->');
    expect(log.lines.join('')).not.toContain('ghp_daemon_token');
  });
});
