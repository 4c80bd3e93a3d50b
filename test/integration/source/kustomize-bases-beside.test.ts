import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgeKeyring, decryptAndValidate, repositoryViewFor } from '../../../src/manifests/index.js';
import { createSourceWatcher, type SourceWatcher } from '../../../src/source/index.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { useTempDir } from '../../harness/tmp.js';
import { defined, recorder, sourceConfig } from './source-helpers.js';

// A source whose `path` is an overlay (`overlays/prod`) listing `../../base`: the base lies
// outside the source's tree but inside the repository, so the build reads the commit's whole
// tree (what the daemon's sync does: readFiles, repositoryViewFor, decryptAndValidate).
const HOUR = 3_600_000;
const REPO = {
  'base/kustomization.yaml':
    'resources: [web.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
  'base/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        envFrom: [{configMapRef: {name: cfg}}]
`,
  'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamePrefix: prod-\n',
  'overlays/bad/kustomization.yaml': 'resources: [../../../outside]\n',
  'overlays/broken/kustomization.yaml': 'resources: [../../base]\nnamePrefix: broken-\n',
  'base2/kustomization.yaml': 'resources: [web.yaml]\n',
  'base2/web.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: -1\n',
  'overlays/invalid/kustomization.yaml': 'resources: [../../base2]\n',
};

describe('a source path whose kustomization lists bases beside it', () => {
  const tmp = useTempDir();
  const watchers: SourceWatcher[] = [];
  let server: GitServer;
  let n = 0;
  beforeAll(async () => {
    server = await startGitServer({ root: path.join(tmp, 'srv') });
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });

  const watch = async (raw: Parameters<typeof sourceConfig>[0]) => {
    const rec = recorder();
    const watcher = createSourceWatcher({
      source: sourceConfig(raw),
      stateDir: path.join(tmp, `state${n++}`),
      env: { GIT_TOKEN: server.password },
      localRecheckMs: HOUR,
      retryBaseMs: HOUR,
      retryMaxMs: HOUR,
      onRevision: rec.onRevision,
      onError: rec.onError,
    });
    watchers.push(watcher);
    await watcher.start();
    return watcher;
  };
  /** What the daemon does with a revision of the source. */
  const sync = async (watcher: SourceWatcher) => {
    const revision = defined(watcher.status().revision);
    const files = await watcher.readFiles(revision);
    const repository = await repositoryViewFor(files, revision.path, () =>
      watcher.readRepositoryFiles(revision),
    );
    return decryptAndValidate(files, { repository }, AgeKeyring.empty);
  };
  const names = (result: Awaited<ReturnType<typeof sync>>) =>
    [...result.state.objects.values()].map((o) => `${o.kind}/${o.name}`).sort();

  const sources = {
    local: async () => {
      const dir = await initRepo(path.join(tmp, `local${n++}`));
      await commitFiles(dir, REPO, 'overlays');
      return { repo: dir };
    },
    remote: async () => {
      const name = `kz${n++}`;
      await server.createRepo(name);
      const work = await initRepo(path.join(tmp, `work-${name}`));
      await commitFiles(work, REPO, 'overlays');
      await git(work, 'push', '--quiet', server.authedRepoUrl(name), 'main');
      return {
        repo: server.repoUrl(name),
        auth: { username: server.username, password: { env: 'GIT_TOKEN' } },
      };
    },
  };

  for (const [kind, make] of Object.entries(sources)) {
    it(`${kind}: builds the overlay over the base, and refuses to climb out of the repository`, async () => {
      const where = await make();
      const prod = await sync(
        await watch({ name: `${kind}-prod`, ...where, path: 'overlays/prod' }),
      );
      expect(prod.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(prod.valid).toBe(true);
      expect(names(prod)).toEqual([
        expect.stringMatching(/^ConfigMap\/prod-cfg-[a-z0-9]{10}$/),
        'Deployment/prod-web',
      ]);
      const web = [...prod.state.objects.values()].find((o) => o.kind === 'Deployment');
      // Positions name the base file relative to the source's path.
      expect(web?.source.file).toBe('../../base/web.yaml');

      const bad = await sync(await watch({ name: `${kind}-bad`, ...where, path: 'overlays/bad' }));
      expect(bad.valid).toBe(false);
      expect(bad.problems[0]?.message).toContain('outside the repository');
      expect(bad.problems[0]?.file).toBe('kustomization.yaml');

      const invalid = await sync(
        await watch({ name: `${kind}-invalid`, ...where, path: 'overlays/invalid' }),
      );
      expect(invalid.valid).toBe(false);
      expect(invalid.problems.some((p) => p.file === '../../base2/web.yaml')).toBe(true);
    });
  }
});
