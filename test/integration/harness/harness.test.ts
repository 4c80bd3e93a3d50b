import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLabelled, useDocker } from '../../harness/docker.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { deleteByPrefix, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

// The harness is what every integration test stands on: these tests prove that it isolates and
// cleans up for real, and that the git server behaves like a forge's.

describe('git server (git http-backend over HTTP with basic auth)', () => {
  const tmp = useTempDir();
  let server: GitServer;
  beforeAll(async () => {
    server = await startGitServer({ root: path.join(tmp, 'srv') });
    await server.createRepo('app');
  });
  afterAll(() => server.stop());

  it('accepts a push and a clone with the right credentials', async () => {
    const work = await initRepo(path.join(tmp, 'work'));
    const sha = await commitFiles(work, { 'deploy.yaml': 'kind: ConfigMap\n' }, 'first');
    await git(work, 'push', '--quiet', server.authedRepoUrl('app'), 'main');
    await git(tmp, 'clone', '--quiet', server.authedRepoUrl('app'), path.join(tmp, 'clone'));
    expect(await git(path.join(tmp, 'clone'), 'rev-parse', 'HEAD')).toBe(sha);
    expect(await readFile(path.join(tmp, 'clone', 'deploy.yaml'), 'utf8')).toBe(
      'kind: ConfigMap\n',
    );
    expect(server.requests.some((r) => r.service === 'git-receive-pack' && r.status === 200)).toBe(
      true,
    );
  });

  it('refuses a wrong password with 401 and never records it', async () => {
    const bad = server.authedRepoUrl('app').replace(server.password, 'wrong');
    await expect(git(tmp, 'ls-remote', bad)).rejects.toThrow(/Authentication failed|401/);
    expect(server.requests.at(-1)?.status).toBe(401);
    expect(JSON.stringify(server.requests)).not.toContain(server.password);
  });

  it('refuses pushes when told to, and is unreachable while stopped', async () => {
    const work = path.join(tmp, 'clone');
    await commitFiles(work, { 'b.yaml': 'b\n' }, 'second');
    server.denyPush = true;
    await expect(git(work, 'push', '--quiet', server.authedRepoUrl('app'), 'main')).rejects.toThrow(
      /403/,
    );
    server.denyPush = false;
    const url = server.authedRepoUrl('app');
    await server.stop();
    await expect(git(tmp, 'ls-remote', url)).rejects.toThrow(
      /Failed to connect|Connection refused|Could not connect/,
    );
    await server.start();
    expect(server.authedRepoUrl('app')).toBe(url);
    await git(work, 'push', '--quiet', url, 'main');
  });
});

describe('redis isolation', () => {
  const redis = useRedis();
  it('gives each file its own prefix and deletes every key under it', async () => {
    await redis.client.set(`${redis.prefix}:a`, '1');
    await redis.client.hset(`${redis.prefix}:b`, 'f', 'v');
    await redis.client.set('berth-test:other-file:a', 'keep');
    expect(await deleteByPrefix(redis.client, redis.prefix)).toBe(2);
    expect(await redis.client.exists(`${redis.prefix}:a`, `${redis.prefix}:b`)).toBe(0);
    expect(await redis.client.get('berth-test:other-file:a')).toBe('keep');
    await redis.client.del('berth-test:other-file:a');
  });
});

describe('docker isolation', () => {
  const { docker, id, labels } = useDocker();
  it('removes every container, network and volume labelled for the run, and nothing else', async () => {
    const network = await docker.createNetwork({ Name: `${id}-net`, Labels: labels });
    const volume = await docker.createVolume({ Name: `${id}-vol`, Labels: labels });
    const mine = await docker.createContainer({
      Image: 'berth.local/pause:1',
      name: `${id}-c`,
      Labels: labels,
    });
    await mine.start();
    const other = await docker.createContainer({
      Image: 'berth.local/pause:1',
      name: `${id}-other`,
      Labels: { keep: 'yes' },
    });
    try {
      await removeLabelled(docker, id);
      await expect(mine.inspect()).rejects.toMatchObject({ statusCode: 404 });
      await expect(docker.getNetwork(network.id).inspect()).rejects.toMatchObject({
        statusCode: 404,
      });
      await expect(docker.getVolume(volume.name).inspect()).rejects.toMatchObject({
        statusCode: 404,
      });
      expect((await other.inspect()).Name).toBe(`/${id}-other`);
    } finally {
      await other.remove({ force: true });
    }
  });
});
