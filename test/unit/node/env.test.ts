import { describe, expect, it } from 'vitest';
import { expand, resolveEnv } from '../../../src/node/env.js';
import type { ObjectLookup } from '../../../src/node/node-options.js';
import type { Container, Pod } from '../../../src/node/pod-spec.js';

const lookup: ObjectLookup = {
  configMap: (ns, name) =>
    ns === 'prod' && name === 'settings'
      ? {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name },
          data: { MODE: 'fast', LEVEL: '3' },
        }
      : undefined,
  secret: (ns, name) =>
    ns === 'prod' && name === 'creds'
      ? {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name },
          data: { TOKEN: Buffer.from('tok').toString('base64') },
          stringData: { USER: 'u' },
        }
      : undefined,
};
const facts = { podIP: '10.0.0.5', hostIP: '192.0.2.1', nodeName: 'host' };

function podWith(container: Container): Pod {
  return {
    metadata: {
      name: 'api-1',
      namespace: 'prod',
      uid: 'u-1',
      labels: { tier: 'api' },
      annotations: { a: 'b' },
    },
    spec: { containers: [container] },
  };
}

describe('resolveEnv', () => {
  it('applies envFrom with prefix, then env in order, later entries winning', async () => {
    const c: Container = {
      name: 'api',
      image: 'x',
      envFrom: [
        { configMapRef: { name: 'settings' } },
        { prefix: 'S_', secretRef: { name: 'creds' } },
      ],
      env: [
        { name: 'MODE', value: 'slow' },
        { name: 'URL', value: 'http://$(S_USER)@db/$(MODE)?$$x=$(UNDEFINED)' },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'LVL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'LEVEL' } } },
        { name: 'TOK', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } },
        { name: 'OPT', valueFrom: { secretKeyRef: { name: 'nope', key: 'x', optional: true } } },
      ],
      resources: { limits: { cpu: '1500m', memory: '256Mi' }, requests: { memory: '128Mi' } },
    };
    c.env?.push(
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      { name: 'CPU_M', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      {
        name: 'REQ_MI',
        valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } },
      },
    );
    const env = await resolveEnv(podWith(c), c, lookup, facts);
    expect(env).toEqual([
      'MODE=slow',
      'LEVEL=3',
      'S_TOKEN=tok',
      'S_USER=u',
      'URL=http://u@db/slow?$x=$(UNDEFINED)',
      'UID=u-1',
      'TIER=api',
      'IP=10.0.0.5',
      'HOST=192.0.2.1',
      'LVL=3',
      'TOK=tok',
      'CPU=2',
      'CPU_M=1500',
      'REQ_MI=128',
    ]);
  });

  it.each([
    [
      { name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MISSING' } } },
      /key "MISSING" of configmap "settings"/,
    ],
    [
      { name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } },
      /key "k" of secret "absent"/,
    ],
    [
      { name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } },
      /fieldRef spec.containers is not supported/,
    ],
  ])(
    'a missing, non-optional reference is a CreateContainerConfigError (%#)',
    async (envVar, message) => {
      const c: Container = { name: 'api', image: 'x', env: [envVar] };
      const err = await resolveEnv(podWith(c), c, lookup, facts).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CreateContainerConfigError' });
      expect((err as Error).message).toMatch(message);
    },
  );

  it('a missing envFrom source fails unless optional', async () => {
    const c: Container = { name: 'api', image: 'x', envFrom: [{ secretRef: { name: 'absent' } }] };
    await expect(resolveEnv(podWith(c), c, lookup, facts)).rejects.toThrow(
      /secret "absent" not found/,
    );
    const optional: Container = {
      name: 'api',
      image: 'x',
      envFrom: [{ secretRef: { name: 'absent', optional: true } }],
    };
    expect(await resolveEnv(podWith(optional), optional, lookup, facts)).toEqual([]);
  });

  it('never puts a secret value into an error message', async () => {
    const c: Container = {
      name: 'api',
      image: 'x',
      env: [
        { name: 'TOK', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } },
        { name: 'BAD', valueFrom: { secretKeyRef: { name: 'creds', key: 'NOPE' } } },
      ],
    };
    const err = (await resolveEnv(podWith(c), c, lookup, facts).catch((e: unknown) => e)) as Error;
    expect(
      JSON.stringify({ m: err.message, d: (err as unknown as { data: unknown }).data }),
    ).not.toContain('tok');
  });
});

describe('expand', () => {
  it('replaces defined $(VAR), keeps undefined ones, and turns $$ into $', () => {
    const vars = new Map([['A', '1']]);
    expect(expand('$(A)-$(B)-$$(A)', vars)).toBe('1-$(B)-$(A)');
  });
});
