import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainNames } from '../../../src/network/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment, writeConfig } from '../reconcile/reconcile-harness.js';

const run = promisify(execFile);
const SECRET = 'correct-horse-battery-staple';
const serviceYaml = `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n`;
const secretYaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${SECRET}\n`;

// One `berth up` runs a Deployment; the read commands show it as kubectl would, suspend holds a
// new revision back until resume, and down (after up stops) leaves nothing of the instance.
describe('the read and admin commands against a running Berth', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let config: string;
  let env: Record<string, string>;
  let berth: RunningCli | undefined;
  const cli = (...args: string[]) => runCli([...args, '-c', config], { env, cwd: dir });

  beforeAll(async () => {
    repo = await initRepo(path.join(dir, 'repo'));
    config = writeConfig(dir, redis.prefix, repo);
    env = await berthEnv(dir, docker.id);
    await commitFiles(
      repo,
      {
        'web.yaml': webDeployment({ replicas: 2, version: 'v1' }),
        'svc.yaml': serviceYaml,
        'secret.yaml': secretYaml,
      },
      'v1',
    );
    berth = startCli(['up', '-c', config], { env, cwd: dir });
  });
  afterAll(async () => {
    await berth?.stop();
  }, 120_000);

  it('status, get and describe show the running revision as kubectl would', async () => {
    const v1 = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(v1);
    const status = await cli('status');
    expect(status.stdout).toMatch(
      new RegExp(`^shop\\s+\\S+\\s+branch main\\s+${v1}\\s+Synced\\s+Healthy\\s+\\d+s`, 'm'),
    );
    expect((await cli('get', 'deploy')).stdout).toMatch(/^web\s+2\/2\s+2\s+2\s+\d+s$/m);
    const pods = (await cli('get', 'pods', '-o', 'wide')).stdout.trimEnd().split('\n');
    expect(pods).toHaveLength(3);
    for (const line of pods.slice(1))
      expect(line).toMatch(
        /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+\s+\d+\.\d+\.\d+\.\d+\s/,
      );
    // The ClusterIP Berth allocated, and the two ready pods behind the Service.
    await eventually(
      async () => /^web\s+\S+:8080,\S+:8080\s/m.test((await cli('get', 'ep', 'web')).stdout),
      { what: 'endpoints of web', timeout: WAIT.dockerTimeoutMs },
    );
    expect((await cli('get', 'svc')).stdout).toMatch(
      /^web\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\d+s$/m,
    );
    expect((await cli('describe', 'svc', 'web')).stdout).toMatch(
      /^Port:\s+http\s+80\/TCP\nTargetPort:\s+8080\/TCP\nEndpoints:\s+\S+:8080,\S+:8080$/m,
    );
    const described = (await cli('describe', 'deployment', 'web')).stdout;
    expect(described).toMatch(
      /^Replicas:\s+2 desired \| 2 updated \| 2 total \| 2 available \| 0 unavailable$/m,
    );
    expect(described).toMatch(/^NewReplicaSet:\s+web-[a-z0-9]+ \(2\/2 replicas created\)$/m);
    expect(described).toMatch(/^ {2}Normal\s+ScalingReplicaSet\s+/m);
    for (const args of [
      ['get', 'secret', 'db', '-o', 'json'],
      ['describe', 'secret', 'db'],
    ]) {
      const out = await cli(...args);
      expect(out.code).toBe(0);
      expect(out.stdout).not.toContain(SECRET);
      expect(out.stdout).not.toContain(Buffer.from(SECRET).toString('base64'));
    }
  }, 120_000);

  it('suspend holds a new revision back; resume applies it', async () => {
    expect((await cli('suspend', 'shop')).code).toBe(0);
    const v2 = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 2, version: 'v2' }) },
      'v2',
    );
    await eventually(async () => (await observe.states.get('shop'))?.target === v2, {
      what: 'v2 validated',
      timeout: WAIT.dockerTimeoutMs,
    });
    expect((await cli('status')).stdout).toMatch(
      /^shop\s.*\sOutOfSync\s+Suspended\s+\S+\s+suspended: revision \w{7} is not applied yet \(v2\) \(berth resume applies it\)$/m,
    );
    expect((await observe.states.get('shop'))?.applied).not.toBe(v2);
    expect((await cli('resume', 'shop')).stdout).toBe(
      `source/shop resumed; sync of ${v2.slice(0, 7)} queued\n`,
    );
    await observe.settled(v2);
    expect((await cli('status')).stdout).toMatch(
      new RegExp(`^shop\\s.*\\s${v2}\\s+Synced\\s+Healthy\\s`, 'm'),
    );
  }, 120_000);

  it('down, after up stops, leaves no container, network or object of the instance', async () => {
    // While up runs, down refuses (up would re-create what it removes) and names the process.
    const early = await cli('down', '--yes');
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`pid ${process.pid}): stop it first`);
    expect(early.stdout).toBe('');
    await berth?.stop();
    berth = undefined;
    const down = await cli('down', '--yes');
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    const left = await docker.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.instance=${docker.id}`] }),
    });
    expect(left).toEqual([]);
    expect((await cli('get', 'all', '-A')).stderr).toBe('No resources found\n');
    const chains = (await run('iptables-save', ['-t', 'nat'])).stdout;
    expect(chains).not.toContain(new ChainNames(docker.id).prefix);
    expect((await cli('status')).stdout).toMatch(/^shop\s.*\s<none>\s+OutOfSync\s+Missing\s/m);
  }, 120_000);
});
