import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_FILE } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

// Issue #15: Secret values sat in plaintext in Redis in three places (object, inventory, each
// revision for 7 days). Read Redis directly: no value, in any form, anywhere under the prefix.
describe('Secret data at rest', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  it('is encrypted in Redis with a key generated into the state directory (0600)', async () => {
    const plain = 'pl41n-S3cret-value-7781';
    const encoded = 'b64-S3cret-value-9923';
    const b64 = Buffer.from(encoded).toString('base64');
    const repo = await initRepo(path.join(dir, 'shop'));
    const good = await commitFiles(
      repo,
      {
        'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${plain}\ndata:\n  token: ${b64}\n`,
      },
      'Secret',
    );
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const e = await berthEnv(dir, docker.id, 'state');
    const berth = startCli(['up', '-c', config], { env: e, cwd: dir });
    try {
      await berth.waitFor(`revision ${good.slice(0, 7)} is synced and healthy`, 60_000);
    } finally {
      expect((await berth.stop()).code).toBe(0);
    }
    const dump: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.client.scan(
        cursor,
        'MATCH',
        `${redis.prefix}*`,
        'COUNT',
        500,
      );
      cursor = next;
      for (const key of keys) {
        const type = await redis.client.type(key);
        if (type === 'string') dump.push(key, (await redis.client.get(key)) ?? '');
        else if (type === 'hash') dump.push(key, JSON.stringify(await redis.client.hgetall(key)));
        else if (type === 'list')
          dump.push(key, JSON.stringify(await redis.client.lrange(key, 0, -1)));
        else if (type === 'set') dump.push(key, JSON.stringify(await redis.client.smembers(key)));
        else if (type === 'zset')
          dump.push(key, JSON.stringify(await redis.client.zrange(key, 0, -1)));
        else if (type === 'stream')
          dump.push(key, JSON.stringify(await redis.client.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
    const all = dump.join('\n');
    expect(all).toContain('Secret/default/db'); // the object, its inventory entry and revision are there
    expect(all).toContain('berth.dev/sealed');
    for (const value of [plain, encoded, b64, Buffer.from(plain).toString('base64')])
      expect(all).not.toContain(value);
    const keyFile = path.join(dir, 'state', KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  }, 120_000);
});
