import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod, Volume } from '../../../src/node/pod-spec.js';
import { useTempDir } from '../../harness/tmp.js';
import { containerOf, execIn, useNode, waitForStatus } from './node-harness.js';

// Attacks from issue #15 on a real node (Docker, host file system): a repository that gets
// past validation (or a store written by something else) must still not reach the host.
const IMAGE = 'berth.local/busybox:1';
const node = useNode({ resyncMs: 60_000, backoffInitialMs: 500 });
const outside = useTempDir('berth-escape-');

describe('volume content stays inside the volume', () => {
  it('a ConfigMap or Secret data key "../…" writes nothing outside the volume; the container waits with the reason', async () => {
    const target = path.join(outside, 'keys');
    mkdirSync(target);
    const outward = `${'../'.repeat(20)}${target.slice(1)}`;
    node.objects.configMaps.set('esc/evil', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'evil' },
      data: { [`${outward}/from-configmap`]: 'owned', '..data': 'x' },
    });
    node.objects.secrets.set('esc/evil', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'evil' },
      stringData: { [`${outward}/from-secret`]: 'owned' },
    });
    const agent = node.newAgent();
    for (const [name, volume] of [
      ['cm', { name: 'v', configMap: { name: 'evil' } }],
      ['secret', { name: 'v', secret: { secretName: 'evil' } }],
      ['projected', { name: 'v', projected: { sources: [{ secret: { name: 'evil' } }] } }],
    ] as Array<[string, Volume]>) {
      const p: Pod = {
        metadata: { name: `keys-${name}`, namespace: 'esc' },
        spec: {
          terminationGracePeriodSeconds: 1,
          volumes: [volume],
          containers: [
            {
              name: 'app',
              image: IMAGE,
              command: ['sleep', '3600'],
              volumeMounts: [{ name: 'v', mountPath: '/v' }],
            },
          ],
        },
      };
      await agent.syncPod(p);
      expect(readdirSync(target)).toEqual([]);
      const s = await waitForStatus(agent, p, (x) => Boolean(containerOf(x, 'app').state.waiting));
      expect(containerOf(s, 'app').state.waiting?.message).toMatch(/must consist of alphanumeric/);
      expect(containerOf(s, 'app').state.running).toBeUndefined();
      await agent.killPod(p);
    }
    expect(readdirSync(target)).toEqual([]);
  }, 120_000);
});

describe('subPath', () => {
  it('a symlink a container made to / is not followed: the host is neither readable nor writable through subPath', async () => {
    const events: Array<{
      pod: string;
      type: string;
      reason: string;
      message: string;
      container?: string;
    }> = [];
    const agent = node.newAgent({
      recordEvent: (pod, e) => events.push({ pod: pod.metadata.name, ...e }),
    });
    const marker = path.join(outside, 'host-secret');
    mkdirSync(marker);
    const p: Pod = {
      metadata: { name: 'subpath-escape', namespace: 'esc' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'data', emptyDir: {} }],
        initContainers: [
          {
            name: 'plant',
            image: IMAGE,
            command: [
              'sh',
              '-c',
              'ln -s / /data/escape && ln -s /data/inside /data/abs && mkdir /data/inside && echo ok > /data/inside/f && ln -s inside /data/rel',
            ],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        containers: [
          {
            name: 'reader',
            image: IMAGE,
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'data', mountPath: '/host', subPath: 'escape' }],
          },
          {
            name: 'deep',
            image: IMAGE,
            command: ['sleep', '3600'],
            volumeMounts: [
              { name: 'data', mountPath: '/host', subPath: `escape/${marker.slice(1)}/new` },
            ],
          },
          {
            name: 'fine',
            image: IMAGE,
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'data', mountPath: '/in', subPath: 'rel' }],
          },
        ],
      },
    };
    await agent.start();
    await agent.syncPod(p);
    const s = await waitForStatus(
      agent,
      p,
      (x) =>
        Boolean(containerOf(x, 'fine').state.running) &&
        Boolean(containerOf(x, 'reader').state.waiting?.message?.includes('subPath')) &&
        Boolean(containerOf(x, 'deep').state.waiting?.message?.includes('subPath')),
      60_000,
    ).catch(async (err) => {
      // Today's code runs "reader" with the host's / at /host: show what it sees.
      const status = await agent.podStatus(p);
      if (containerOf(status, 'reader').state.running)
        throw new Error(
          `reader runs with the host's / mounted: ${await execIn(agent, p, 'reader', ['ls', '/host'])}`,
        );
      throw err;
    });
    expect(containerOf(s, 'reader').state.waiting?.reason).toBe('CreateContainerConfigError');
    expect(containerOf(s, 'reader').state.waiting?.message).toMatch(/outside the volume/);
    // The refusal is a pod event too, as the kubelet's FailedToCreateContainer.
    expect(events).toContainEqual(
      expect.objectContaining({
        pod: 'subpath-escape',
        type: 'Warning',
        reason: 'Failed',
        container: 'reader',
        message: expect.stringMatching(
          /^Error: subPath "escape" of volume "data" .*outside the volume/,
        ),
      }),
    );
    // Nothing was created on the host through the link, and a link inside the volume still works.
    expect(existsSync(path.join(marker, 'new'))).toBe(false);
    expect(await execIn(agent, p, 'fine', ['cat', '/in/f'])).toBe('ok\n');
    await agent.killPod(p);
  }, 120_000);
});
