import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig, type SourceConfig } from '../../../src/config/index.js';
import { ImageUpdateScanner } from '../../../src/image-updates/index.js';
import { RegistryClient, RegistryTransport } from '../../../src/images/index.js';
import { type BerthEvent, HistoryStore, ImageUpdateStore } from '../../../src/store/index.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { useRedis } from '../../harness/redis.js';
import { useRegistry } from '../../harness/registry.js';
import { useTempDir } from '../../harness/tmp.js';
import { capturedLogger } from '../source/source-helpers.js';

const kustomization = (host: string, tag: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deploy.yaml]
images:
  # kept by Berth
  - name: ${host}/api
    newTag: "${tag}"
`;
const marked = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: versions}
data:
  api: ${value} # {"$imagepolicy": "flux-system:api:tag"}
  other: "1.0.0"
`;

// The scanner of a remote source, without Docker or `berth up`: tags listed from the real
// registry (htpasswd, TLS) with berth.yaml's credentials, the commit pushed to a git server
// over HTTP with the source's credentials, a revert by a person noticed and the tag skipped.
describe('image update scanner of a remote source', () => {
  const registry = useRegistry();
  const dir = useTempDir();
  const redis = useRedis();
  let server: GitServer;
  let work: string;
  let source: SourceConfig;
  let scanner: ImageUpdateScanner;
  let host: string;
  const events: BerthEvent[] = [];
  const log = capturedLogger();
  const refreshed: number[] = [];

  beforeAll(async () => {
    const r = await registry.start();
    host = r.host;
    await r.push('api', '1.0.0');
    await r.push('api', '1.1.0');
    await r.push('api', '2.0.0');
    server = await startGitServer({ root: path.join(dir, 'srv') });
    await server.createRepo('shop');
    work = await initRepo(path.join(dir, 'work'));
    await commitFiles(
      work,
      {
        'deploy/kustomization.yaml': kustomization(host, '1.0.0'),
        'deploy/versions.yaml': marked('1.0.0'),
        'elsewhere/versions.yaml': marked('1.0.0'),
      },
      'api 1.0.0',
    );
    await git(work, 'push', '-q', server.authedRepoUrl('shop'), 'main');
    const config = compileConfig({
      env: {},
      cwd: dir,
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        registries: [{ host, username: r.user.name, password: { env: 'REGISTRY_PASSWORD' } }],
        sources: [
          {
            name: 'shop',
            repo: server.repoUrl('shop'),
            path: 'deploy',
            auth: { username: server.username, password: { env: 'GIT_TOKEN' } },
            imageUpdates: [
              { image: `${host}/api`, policy: { semver: { range: '^1.0.0' } }, interval: '1h' },
            ],
          },
        ],
      },
    });
    source = config.sources[0] as SourceConfig;
    const env = { GIT_TOKEN: server.password, REGISTRY_PASSWORD: r.user.password };
    scanner = new ImageUpdateScanner({
      source,
      stateDir: path.join(dir, 'state'),
      client: new RegistryClient(new RegistryTransport({ timeoutMs: 30_000 })),
      credentials: async () => [
        {
          origin: 'berth.yaml registries',
          auths: [{ key: host, username: r.user.name, password: r.user.password }],
        },
      ],
      skipped: new ImageUpdateStore(redis.client, redis.prefix),
      history: new HistoryStore(redis.client, redis.prefix),
      record: async (e) => {
        events.push(e);
      },
      refresh: async () => {
        refreshed.push(Date.now());
      },
      logger: log.logger,
      env,
    });
  }, 180_000);
  afterAll(async () => {
    await scanner?.stop();
    await server?.stop();
  });

  const update = () => source.imageUpdates[0] as SourceConfig['imageUpdates'][number];

  it('pushes a commit that sets the newest tag in the range, only under the source path', async () => {
    const result = await scanner.scan(update());
    expect(result).toMatchObject({ result: 'committed', tag: '1.1.0', oldTags: ['1.0.0'] });
    await git(work, 'pull', '-q', server.authedRepoUrl('shop'), 'main');
    expect(await git(work, 'log', '-1', '--format=%s%n%an <%ae>')).toBe(
      `Update image ${host}/api from 1.0.0 to 1.1.0\nBerth <berth@localhost>`,
    );
    expect(await git(work, 'show', 'HEAD:deploy/kustomization.yaml')).toBe(
      kustomization(host, '1.1.0').trimEnd(),
    );
    expect(await git(work, 'show', 'HEAD:deploy/versions.yaml')).toBe(marked('1.1.0').trimEnd());
    // Outside `path`, nothing changes.
    expect(await git(work, 'show', 'HEAD:elsewhere/versions.yaml')).toBe(marked('1.0.0').trimEnd());
    expect(events.map((e) => e.reason)).toEqual(['ImageUpdated']);
    expect(refreshed).toHaveLength(1);
    expect(await scanner.scan(update())).toEqual({ result: 'unchanged', tag: '1.1.0' });
    expect(log.lines.join('\n')).not.toContain(server.password);
  }, 120_000);

  it('a reverted update is skipped (event, note in the history) until a newer tag appears', async () => {
    const updateCommit = await git(work, 'rev-parse', 'HEAD');
    await git(work, 'revert', '--no-edit', 'HEAD');
    const revert = await git(work, 'rev-parse', 'HEAD');
    await git(work, 'push', '-q', server.authedRepoUrl('shop'), 'main');
    expect(await scanner.scan(update())).toEqual({ result: 'unchanged', tag: '1.0.0' });
    expect(await new ImageUpdateStore(redis.client, redis.prefix).skipped('shop', 'api')).toEqual(
      new Set(['1.1.0']),
    );
    const skippedEvent = events.find((e) => e.reason === 'ImageUpdateSkipped');
    expect(skippedEvent?.message).toContain(
      `image update skipped: api 1.1.0 was rolled back (${revert.slice(0, 7)} reverts ${updateCommit.slice(0, 7)})`,
    );
    // A scan later still leaves the revert at the tip, and says nothing new.
    expect(await scanner.scan(update())).toEqual({ result: 'unchanged', tag: '1.0.0' });
    expect(events.filter((e) => e.reason === 'ImageUpdateSkipped')).toHaveLength(1);
    expect((await git(dir, 'ls-remote', server.authedRepoUrl('shop'), 'main')).split(/\s/)[0]).toBe(
      revert,
    );
    await registry.get().push('api', '1.1.1');
    expect(await scanner.scan(update())).toMatchObject({ result: 'committed', tag: '1.1.1' });
  }, 120_000);

  it('a push the remote refuses is a failure event, recorded once while it repeats', async () => {
    await registry.get().push('api', '1.2.0');
    server.denyPush = true;
    try {
      const first = await scanner.scan(update());
      expect(first.result).toBe('failed');
      await scanner.scan(update());
      expect(events.filter((e) => e.reason === 'ImageUpdateFailed')).toHaveLength(1);
      expect(events.find((e) => e.reason === 'ImageUpdateFailed')?.message).toMatch(
        /denied|refused/,
      );
    } finally {
      server.denyPush = false;
    }
    expect(await scanner.scan(update())).toMatchObject({ result: 'committed', tag: '1.2.0' });
  }, 120_000);
});
