import { describe, expect, it } from 'vitest';
import { DescribeWriter } from '../../../src/kubectl/describe-writer.js';
import { humanDuration } from '../../../src/kubectl/human-duration.js';
import { MASK, maskSecret } from '../../../src/kubectl/mask-secret.js';
import { formatSelector, parseSelector } from '../../../src/kubectl/parse-selector.js';
import { podSummary } from '../../../src/kubectl/pod-columns.js';
import { alignTabs, printTable } from '../../../src/kubectl/print-table.js';
import { resolveKind } from '../../../src/kubectl/resource-kinds.js';
import type { StoredObject } from '../../../src/store/index.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const ago = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

function pod(status: unknown, containers = 1, inits = 0): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      uid: 'u',
      generation: 1,
      creationTimestamp: ago(60),
    },
    spec: {
      containers: Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: 'i' })),
      initContainers: Array.from({ length: inits }, (_, i) => ({ name: `i${i}`, image: 'i' })),
    },
    status,
  };
}

const running = (ready = true, restartCount = 0, lastState = {}) => ({
  name: 'c',
  state: { running: { startedAt: ago(30) } },
  lastState,
  ready,
  restartCount,
  image: 'i',
  imageID: '',
});
const waiting = (reason: string, restartCount = 0, lastState = {}) => ({
  name: 'c',
  state: { waiting: { reason } },
  lastState,
  ready: false,
  restartCount,
  image: 'i',
  imageID: '',
});
const terminated = (exitCode: number, reason?: string) => ({
  name: 'c',
  state: { terminated: { exitCode, ...(reason ? { reason } : {}) } },
  lastState: {},
  ready: false,
  restartCount: 0,
  image: 'i',
  imageID: '',
});

describe('kubectl columns and formats', () => {
  it('escapes control characters from the repository in table and describe cells (#15)', () => {
    const evil = 'x\x1b]0;pwned\x07\r\u202e';
    expect(printTable(['NAME', 'VALUE'], [[evil, evil]])).toBe(
      'NAME                          VALUE\nx\\x1b]0;pwned\\x07\\x0d\\u202e   x\\x1b]0;pwned\\x07\\x0d\\u202e\n',
    );
    expect(alignTabs(`Name:\t${evil}\nLabels:\ta=b`)).toBe(
      'Name:    x\\x1b]0;pwned\\x07\\x0d\\u202e\nLabels:  a=b',
    );
  });

  it.each([
    [0, '0s'],
    [119, '119s'],
    [150, '2m30s'],
    [600, '10m'],
    [3 * 3600 + 300, '3h5m'],
    [30 * 3600, '30h'],
    [3 * 86400 + 5 * 3600, '3d5h'],
    [20 * 86400, '20d'],
    [3 * 365 * 86400, '3y'],
  ])('AGE of %ss is %s, as kubectl prints it', (s, text) => {
    expect(humanDuration(s * 1000)).toBe(text);
  });

  it.each([
    ['no status yet', undefined, 1, 0, ['0/1', 'Pending', '0']],
    [
      'a container being created',
      { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] },
      1,
      0,
      ['0/1', 'ContainerCreating', '0'],
    ],
    [
      'two containers, one ready',
      { phase: 'Running', containerStatuses: [running(true), running(false)] },
      2,
      0,
      ['1/2', 'Running', '0'],
    ],
    [
      'a crash loop with the last restart 45s ago',
      {
        phase: 'Running',
        containerStatuses: [
          waiting('CrashLoopBackOff', 3, { terminated: { exitCode: 1, finishedAt: ago(45) } }),
        ],
      },
      1,
      0,
      ['0/1', 'CrashLoopBackOff', '3 (45s ago)'],
    ],
    [
      'a finished job pod',
      { phase: 'Succeeded', containerStatuses: [terminated(0, 'Completed')] },
      1,
      0,
      ['0/1', 'Completed', '0'],
    ],
    [
      'a failed container',
      { phase: 'Failed', containerStatuses: [terminated(2, 'Error')] },
      1,
      0,
      ['0/1', 'Error', '0'],
    ],
    [
      'a terminated container without reason',
      { phase: 'Failed', containerStatuses: [terminated(137)] },
      1,
      0,
      ['0/1', 'ExitCode:137', '0'],
    ],
    [
      'an init container running',
      {
        phase: 'Pending',
        initContainerStatuses: [waiting('PodInitializing')],
        containerStatuses: [waiting('PodInitializing')],
      },
      1,
      1,
      ['0/1', 'Init:0/1', '0'],
    ],
    [
      'an init container failing',
      {
        phase: 'Pending',
        initContainerStatuses: [waiting('CrashLoopBackOff', 2)],
        containerStatuses: [waiting('PodInitializing')],
      },
      1,
      1,
      ['0/1', 'Init:CrashLoopBackOff', '2'],
    ],
  ])('pod with %s: READY, STATUS, RESTARTS', (_, status, containers, inits, expected) => {
    const s = podSummary(pod(status, containers, inits), NOW);
    expect([s.ready, s.status, s.restarts]).toEqual(expected);
  });

  it('pads columns as kubectl: 3 spaces, at least 6 wide, last column unpadded', () => {
    expect(printTable(['NAME', 'IP', 'AGE'], [['web', '-', '5m']])).toBe(
      'NAME   IP    AGE\nweb    -     5m\n',
    );
  });

  it('aligns describe fields per block, as kubectl tabwriter does', () => {
    const w = new DescribeWriter();
    w.field(0, 'Name', 'web');
    w.field(0, 'Namespace', 'default');
    w.map(0, 'Labels', { app: 'web', tier: 'front' });
    w.line(0, 'Pod Template:');
    w.field(1, 'Image', 'nginx');
    w.events([], NOW);
    expect(w.toString()).toBe(
      [
        'Name:       web',
        'Namespace:  default',
        'Labels:     app=web',
        '            tier=front',
        'Pod Template:',
        '  Image:  nginx',
        'Events:   <none>',
        '',
      ].join('\n'),
    );
  });

  it('parses and prints label selectors as kubectl', () => {
    const s = parseSelector('app=web,tier!=db,env in (a, b),!canary,track');
    expect(s).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'track', operator: 'Exists' },
      ],
    });
    expect(formatSelector(s)).toBe('app=web,tier notin (db),env in (a,b),!canary,track');
    expect(() => parseSelector('app=(x')).toThrow(/unable to parse/);
  });

  it('knows kubectl names, short names and groups of kinds', () => {
    expect(resolveKind('deploy').kind).toBe('Deployment');
    expect(resolveKind('deployments.apps').kind).toBe('Deployment');
    expect(resolveKind('PO').kind).toBe('Pod');
    expect(resolveKind('ing').kind).toBe('Ingress');
    expect(() => resolveKind('widgets')).toThrow(/doesn't have a resource type "widgets"/);
  });

  it('masks every Secret value, keeping the keys', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        uid: 'u',
        generation: 1,
        creationTimestamp: ago(1),
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"aHVudGVyMg=="}}',
        },
      },
      data: { p: 'aHVudGVyMg==' },
      stringData: { q: 'hunter2' },
    } as StoredObject;
    const masked = JSON.stringify(maskSecret(secret));
    expect(masked).not.toContain('hunter2');
    expect(masked).not.toContain('aHVudGVyMg==');
    expect(maskSecret(secret)).toMatchObject({ data: { p: MASK }, stringData: { q: MASK } });
    expect((secret.data as Record<string, string>).p).toBe('aHVudGVyMg==');
  });
});
