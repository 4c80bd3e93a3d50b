import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { main } from '../../../src/cli/main.js';
import type { Pod } from '../../../src/node/pod-spec.js';
import { containerOf, useNode, waitForStatus } from './node-harness.js';

const IMAGE = 'berth.local/busybox:1';
const node = useNode({ backoffInitialMs: 500 });

function cli(args: string[]) {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: { BERTH_INSTANCE: node.id },
    cwd: process.cwd(),
    exitCode: 0,
    stopSignal: new Promise(() => undefined),
  };
  return main(['node', 'berth', ...args], ctx).then((code) => ({ code, out, err }));
}

describe('a Berth restart', () => {
  it('adopts running containers from their labels without recreating them', async () => {
    const p: Pod = {
      metadata: { name: 'steady', namespace: 'adopt' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'web',
            image: IMAGE,
            command: [
              'sh',
              '-c',
              'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www',
            ],
            readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
          },
          {
            name: 'side',
            image: IMAGE,
            command: ['sleep', '3600'],
            env: [{ name: 'A', value: 'b' }],
          },
        ],
      },
    };
    const first = node.newAgent();
    await first.syncPod(p);
    const before = await waitForStatus(first, p, (s) =>
      s.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    first.stop();

    const second = node.newAgent();
    const pods = await second.listPods();
    expect(pods.map((x) => x.metadata.name)).toEqual(['steady']);
    expect(pods[0]?.spec).toEqual(p.spec);
    await second.start();
    const after = await waitForStatus(second, p, (s) =>
      s.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    for (const name of ['web', 'side']) {
      expect(containerOf(after, name).containerID).toBe(containerOf(before, name).containerID);
      expect(containerOf(after, name).restartCount).toBe(0);
    }
    // The controller syncing the same spec again changes nothing either.
    const again = await second.syncPod(p);
    expect(containerOf(again, 'web').containerID).toBe(containerOf(before, 'web').containerID);
    expect(again.podIP).toBe(before.podIP);
  });

  it('the adopted worker keeps restarting a crashing container; logs --previous reads the last exited one', async () => {
    const p: Pod = {
      metadata: { name: 'talker', namespace: 'adopt' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: IMAGE,
            command: [
              'sh',
              '-c',
              'echo "run $(cat /proc/sys/kernel/random/uuid)"; echo oops >&2; sleep 1; exit 1',
            ],
          },
        ],
      },
    };
    const first = node.newAgent();
    await first.syncPod(p);
    await waitForStatus(first, p, (s) => containerOf(s, 'app').restartCount >= 1);
    first.stop();
    const second = node.newAgent();
    await second.start();
    const status = await waitForStatus(second, p, (s) => containerOf(s, 'app').restartCount >= 2);
    expect(containerOf(status, 'app').lastState.terminated?.exitCode).toBe(1);

    // No more restarts from here on: the current instance finishes its run, the previous stays.
    second.stop();
    await new Promise((r) => setTimeout(r, 1500));
    const current = await cli(['logs', 'talker', '-n', 'adopt']);
    expect(current.code).toBe(0);
    expect(current.out).toMatch(/^run [0-9a-f-]{36}\n$/);
    expect(current.err).toBe('oops\n');
    const previous = await cli(['logs', 'talker', '-n', 'adopt', '-c', 'app', '--previous']);
    expect(previous.code).toBe(0);
    expect(previous.out).toMatch(/^run [0-9a-f-]{36}\n$/);
    expect(previous.out).not.toBe(current.out);
    const missing = await cli(['logs', 'nobody', '-n', 'adopt']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('pods "nobody" not found');
    const wrong = await cli(['logs', 'talker', '-n', 'adopt', '-c', 'nope']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('choose one of: [app]');
  });

  it('logs -f follows a container until it stops; several containers default to the first', async () => {
    const p: Pod = {
      metadata: { name: 'follower', namespace: 'adopt' },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'counter',
            image: IMAGE,
            command: ['sh', '-c', 'for i in 1 2 3; do echo line $i; sleep 0.5; done'],
          },
          { name: 'other', image: IMAGE, command: ['true'] },
        ],
      },
    };
    const agent = node.newAgent();
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => Boolean(containerOf(s, 'counter').containerID));
    const followed = await cli(['logs', 'follower', '-n', 'adopt', '-f']);
    expect(followed.code).toBe(0);
    expect(followed.out).toBe('line 1\nline 2\nline 3\n');
    expect(followed.err).toBe('Defaulted container "counter" out of: counter, other\n');
    const tail = await cli(['logs', 'follower', '-n', 'adopt', '-c', 'counter', '--tail', '1']);
    expect(tail.out).toBe('line 3\n');
    const bad = await cli(['logs', 'follower', '-n', 'adopt', '--tail', 'x']);
    expect(bad.code).toBe(2);
  });
});
