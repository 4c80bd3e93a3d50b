import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, compileConfig } from '../../../src/config/index.js';
import { syncOptionsOf, validateRevision } from '../../../src/manifests/index.js';
import {
  makePlan,
  type PlanObject,
  renderJson,
  renderMarkdown,
  renderText,
  syncOrderLines,
  syncSteps,
} from '../../../src/plan/index.js';
import { MemoryObjectStore } from '../../../src/store/index.js';
import { windowVerdict } from '../../../src/sync/index.js';
import { type StepContext, stepVerdict } from '../../../src/sync/ordered-sync.js';
import { keptEntry } from '../../../src/sync/sync-reconciler.js';
import { runCli } from '../../harness/cli.js';

function obj(
  kind: string,
  name: string,
  annotations: Record<string, string> = {},
  extra = {},
): PlanObject {
  const apiVersion = kind === 'Job' ? 'batch/v1' : kind === 'Deployment' ? 'apps/v1' : 'v1';
  return {
    apiVersion,
    kind,
    namespace: 'default',
    name,
    value: { apiVersion, kind, metadata: { name, namespace: 'default', annotations }, ...extra },
  };
}

describe('sync annotations', () => {
  it.each([
    [{ 'argocd.argoproj.io/sync-wave': '-1' }, -1],
    [{ 'berth.dev/sync-wave': '5' }, 5],
    [{ 'berth.dev/sync-wave': '+3', 'argocd.argoproj.io/sync-wave': '3' }, 3],
    [{}, 0],
  ])('reads the wave of %j as %d', (annotations, wave) => {
    const { options, problems } = syncOptionsOf(annotations);
    expect(problems).toEqual([]);
    expect(options.wave).toBe(wave);
  });

  it('rejects a wave that is no integer, and two annotations that disagree', () => {
    expect(syncOptionsOf({ 'berth.dev/sync-wave': 'first' }).problems).toEqual([
      {
        annotation: 'berth.dev/sync-wave',
        message: 'must be an integer, like "-1" or "5", not "first"',
      },
    ]);
    expect(
      syncOptionsOf({ 'berth.dev/sync-wave': '1', 'argocd.argoproj.io/sync-wave': '2' }).problems[0]
        ?.message,
    ).toContain('give one wave');
  });

  it('reads hooks and delete policies, BeforeHookCreation by default as Argo CD', () => {
    expect(syncOptionsOf({ 'argocd.argoproj.io/hook': 'PreSync,PostSync' }).options).toMatchObject({
      hooks: ['PreSync', 'PostSync'],
      deletePolicies: ['BeforeHookCreation'],
    });
    expect(
      syncOptionsOf({
        'berth.dev/hook': 'Sync',
        'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
      }).options.deletePolicies,
    ).toEqual(['HookSucceeded']);
    expect(syncOptionsOf({ 'argocd.argoproj.io/hook': 'Skip' }).options.skip).toBe(true);
    expect(
      syncOptionsOf({ 'argocd.argoproj.io/hook': 'PostDelete' }).problems[0]?.message,
    ).toContain('PostDelete hooks are not supported');
  });

  it('reads prune and reconcile from Berth, Argo CD and Flux', () => {
    for (const a of [
      { 'berth.dev/prune': 'false' } as Record<string, string>,
      { 'argocd.argoproj.io/sync-options': 'Prune=false' },
      { 'argocd.argoproj.io/sync-options': 'Replace=true, Prune=false' },
      { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    ]) {
      const { options, problems } = syncOptionsOf(a);
      expect(problems).toEqual([]);
      expect(options.prune).toBe(false);
    }
    // Argo CD: Delete=false keeps the object when its Application is deleted, not from a prune
    // (controller/appcontroller.go shouldBeDeleted; gitops-engine isPruningDisabled reads Prune).
    // PruneLast=true is how Berth prunes anyway.
    for (const option of ['Delete=false', 'PruneLast=true', 'Delete=false,PruneLast=true']) {
      const { options, problems } = syncOptionsOf({ 'argocd.argoproj.io/sync-options': option });
      expect(problems).toEqual([]);
      expect(options.prune).toBe(true);
    }
    const gone = makePlan({
      desired: [],
      live: [
        obj('PersistentVolumeClaim', 'data', { 'argocd.argoproj.io/sync-options': 'Delete=false' }),
      ],
    });
    expect(gone.actions.map((a) => [a.type, a.key])).toEqual([
      ['delete', 'PersistentVolumeClaim/default/data'],
    ]);
    expect(
      syncOptionsOf({ 'argocd.argoproj.io/sync-options': 'Prune=confirm' }).problems[0]?.message,
    ).toContain('Berth has no confirmation step: use Prune=false');
    expect(
      syncOptionsOf({ 'kustomize.toolkit.fluxcd.io/reconcile': 'disabled' }).options.reconcile,
    ).toBe(false);
    expect(
      syncOptionsOf({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }).options
        .ignoreExtraneous,
    ).toBe(true);
    expect(
      syncOptionsOf({ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true' }).problems[0]
        ?.message,
    ).toContain('unsupported sync option "ServerSideApply=true"');
  });

  it('validation reports a bad annotation at its position, and hooks on kinds that do not run to completion', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: a',
      '  annotations:',
      '    argocd.argoproj.io/sync-wave: "soon"',
      '    argocd.argoproj.io/hook: PreSync',
      'data: {k: v}',
      '',
    ].join('\n');
    const result = validateRevision([
      { path: 'a.yaml', content: new TextEncoder().encode(text), mode: 'file' },
    ]);
    const problems = result.problems.filter((p) => p.severity === 'error');
    expect(problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [
        6,
        'metadata.annotations["argocd.argoproj.io/sync-wave"]',
        'must be an integer, like "-1" or "5", not "soon"',
      ],
      [
        7,
        'metadata.annotations["argocd.argoproj.io/hook"]',
        'a ConfigMap cannot be a hook: hooks are Jobs or Pods (what runs to completion)',
      ],
    ]);
  });
});

describe('the sync order of a plan', () => {
  const migrate = obj('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync' });
  const smoke = obj('Job', 'smoke', { 'argocd.argoproj.io/hook': 'PostSync' });
  const notify = obj('Job', 'notify', { 'argocd.argoproj.io/hook': 'SyncFail' });
  const db = obj('ConfigMap', 'db', { 'argocd.argoproj.io/sync-wave': '-1' });
  const web = obj('Deployment', 'web');
  const svc = obj('Service', 'web', { 'berth.dev/sync-wave': '1' });

  it('runs PreSync hooks, then the waves in order (kind order within one), then prune, then PostSync', () => {
    const old = obj('ConfigMap', 'old', { 'berth.dev/sync-wave': '2' });
    const plan = makePlan({ desired: [web, svc, migrate, smoke, notify, db], live: [old] });
    expect(plan.actions.map((a) => [a.type, a.key, a.wave])).toEqual([
      ['create', 'ConfigMap/default/db', -1],
      ['create', 'Deployment/default/web', undefined],
      ['create', 'Service/default/web', 1],
      ['delete', 'ConfigMap/default/old', 2],
    ]);
    expect(plan.hooks.map((h) => h.key)).toEqual([
      'Job/default/migrate',
      'Job/default/notify',
      'Job/default/smoke',
    ]);
    expect(syncSteps(plan).map((s) => [s.phase, s.wave, s.actions.length, s.hooks.length])).toEqual(
      [
        ['PreSync', 0, 0, 1],
        ['Sync', -1, 1, 0],
        ['Sync', 0, 1, 0],
        ['Sync', 1, 1, 0],
        ['Prune', 2, 1, 0],
        ['PostSync', 0, 0, 1],
      ],
    );
    expect(syncOrderLines(plan)).toEqual([
      '1. PreSync hooks: run Job default/migrate',
      '2. wave -1: + ConfigMap default/db',
      '3. wave 0: + Deployment default/web',
      '4. wave 1: + Service default/web',
      '5. prune (wave 2): - ConfigMap default/old',
      '6. PostSync hooks: run Job default/smoke',
      'if the sync fails: SyncFail hooks: run Job default/notify',
    ]);
    expect(plan.summary).toEqual({ create: 3, update: 0, delete: 1, keep: 0, unchanged: 0 });
  });

  it('prunes wave by wave in reverse order (what was applied last goes first), each step once the one before is gone', async () => {
    const plan = makePlan({
      desired: [web],
      live: [
        obj('ConfigMap', 'first', { 'berth.dev/sync-wave': '-1' }),
        obj('Service', 'last', { 'berth.dev/sync-wave': '3' }),
        obj('ConfigMap', 'middle'),
        obj('Secret', 'middle'),
      ],
    });
    const steps = syncSteps(plan);
    expect(steps.map((s) => [s.phase, s.wave, s.actions.map((a) => a.key)])).toEqual([
      ['Sync', 0, ['Deployment/default/web']],
      ['Prune', 3, ['Service/default/last']],
      ['Prune', 0, ['Secret/default/middle', 'ConfigMap/default/middle']],
      ['Prune', -1, ['ConfigMap/default/first']],
    ]);
    expect(syncOrderLines(plan)).toEqual([
      '1. wave 0: + Deployment default/web',
      '2. prune (wave 3): - Service default/last',
      '3. prune: - Secret default/middle, - ConfigMap default/middle',
      '4. prune (wave -1): - ConfigMap default/first',
    ]);
    // A prune step is done once its objects are gone: a terminating Pod holds the next one.
    const store = new MemoryObjectStore();
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [] },
    };
    await store.apply(pod as never);
    await store.delete('Pod/default/p', { gracePeriodSeconds: 30 });
    const ctx = {
      deps: { store },
      state: { name: 'shop' },
      revision: 'a'.repeat(40),
      byKey: new Map(),
      lookup: () => undefined,
      log: { info() {} },
    } as unknown as StepContext;
    const prune = (key: string) =>
      ({ phase: 'Prune', wave: 1, actions: [{ type: 'delete', key }], hooks: [] }) as never;
    expect(await stepVerdict(ctx, prune('Pod/default/p'), {})).toEqual({
      status: 'Progressing',
      waitingFor: 'Pod/default/p to be deleted',
    });
    expect(await stepVerdict(ctx, prune('ConfigMap/default/gone'), {})).toEqual({
      status: 'Healthy',
    });
  });

  it('berth plan (text, JSON) and the pull-request comment (Markdown) show the steps in run order', () => {
    const plan = makePlan({ desired: [web, svc, migrate, smoke, notify, db], live: [] });
    const report = {
      head: { ref: 'main', sha: 'a'.repeat(40) },
      base: { live: true },
      valid: true,
      plan,
      impacts: [],
      problems: [],
    } as never;
    const text = renderText(report);
    const markdown = renderMarkdown(report);
    const lines = syncOrderLines(plan);
    expect(lines[0]).toBe('1. PreSync hooks: run Job default/migrate');
    for (const out of [text, markdown]) {
      const at = lines.map((l) => out.indexOf(l));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
    expect(text).toContain('Sync order (each step starts once the one before is healthy):');
    expect(markdown).toContain('**Sync order**');
    const json = JSON.parse(renderJson(report)) as {
      status: { steps: Array<{ phase: string; wave: number; objects: string[]; hooks: string[] }> };
    };
    expect(json.status.steps).toEqual([
      { phase: 'PreSync', wave: 0, objects: [], hooks: ['Job/default/migrate'] },
      { phase: 'Sync', wave: -1, objects: ['ConfigMap/default/db'], hooks: [] },
      { phase: 'Sync', wave: 0, objects: ['Deployment/default/web'], hooks: [] },
      { phase: 'Sync', wave: 1, objects: ['Service/default/web'], hooks: [] },
      { phase: 'PostSync', wave: 0, objects: [], hooks: ['Job/default/smoke'] },
    ]);
  });

  it('a Sync hook runs with the objects of its wave; PreSync and PostSync hooks wave by wave', () => {
    const seed = obj('Job', 'seed', {
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/sync-wave': '1',
    });
    const early = obj('Pod', 'early', {
      'berth.dev/hook': 'PreSync',
      'berth.dev/sync-wave': '-5',
    });
    const plan = makePlan({ desired: [web, svc, seed, migrate, early, smoke], live: [] });
    expect(
      syncSteps(plan).map((s) => [
        s.phase,
        s.wave,
        s.actions.map((a) => a.key),
        s.hooks.map((h) => h.key),
      ]),
    ).toEqual([
      ['PreSync', -5, [], ['Pod/default/early']],
      ['PreSync', 0, [], ['Job/default/migrate']],
      ['Sync', 0, ['Deployment/default/web'], []],
      ['Sync', 1, ['Service/default/web'], ['Job/default/seed']],
      ['PostSync', 0, [], ['Job/default/smoke']],
    ]);
  });

  it('an unordered plan has no sync order to print', () => {
    const plan = makePlan({ desired: [web, obj('Service', 'api')], live: [] });
    expect(syncOrderLines(plan)).toEqual([]);
    const text = renderText({
      head: { ref: 'main', sha: 'a'.repeat(40) },
      base: { live: true },
      valid: true,
      plan,
      impacts: [],
      problems: [],
    } as never);
    expect(text).not.toContain('Sync order');
  });

  it('a kept object with IgnoreExtraneous is marked so that it no longer counts toward the source', () => {
    const entry = (annotations: Record<string, string>) => {
      const o = obj('ConfigMap', 'kept', annotations);
      return { ...o, value: o.value as never };
    };
    const ignored = entry({
      'argocd.argoproj.io/sync-options': 'Prune=false',
      'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
    });
    expect(keptEntry(ignored as never)).toMatchObject({ extraneous: true });
    const counted = entry({ 'argocd.argoproj.io/sync-options': 'Prune=false' });
    expect(keptEntry(counted as never)).not.toHaveProperty('extraneous');
  });

  it('keeps what Skip or reconcile: disabled marks, and never prunes hooks', () => {
    const skipped = obj('ConfigMap', 'skipped', { 'argocd.argoproj.io/hook': 'Skip' });
    const frozen = obj('ConfigMap', 'frozen', {
      'kustomize.toolkit.fluxcd.io/reconcile': 'disabled',
    });
    const plan = makePlan({ desired: [skipped, frozen], live: [frozen] });
    expect(plan.actions.map((a) => [a.type, a.key, a.reason])).toEqual([
      ['keep', 'ConfigMap/default/frozen', 'annotated reconcile: disabled'],
    ]);
    expect(plan.skipped).toEqual([
      { key: 'ConfigMap/default/skipped', reason: 'annotated hook: Skip' },
    ]);
    const gone = makePlan({
      desired: [],
      live: [obj('ConfigMap', 'kept', { 'argocd.argoproj.io/sync-options': 'Prune=false' })],
    });
    expect(gone.actions[0]).toMatchObject({
      type: 'keep',
      reason: 'annotated argocd.argoproj.io/sync-options: Prune=false',
    });
  });
});

describe('sync windows (Argo CD semantics)', () => {
  const at = (iso: string) => new Date(iso);
  const deny = {
    kind: 'deny' as const,
    schedule: '0 22 * * *',
    durationMs: 2 * 3600_000,
    manualSync: false,
  };
  const allow = {
    kind: 'allow' as const,
    schedule: '0 9 * * 1-5',
    durationMs: 8 * 3600_000,
    manualSync: false,
  };

  it('no window: always open', () => {
    expect(windowVerdict([], at('2026-12-02T23:00:00Z'))).toEqual({ open: true });
  });
  it('an active deny window closes until it ends', () => {
    const v = windowVerdict([deny], at('2026-12-02T23:00:00Z'));
    expect(v.open).toBe(false);
    expect(v.changesAt?.toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(v.message).toContain('until 2026-12-03T00:00:00.000Z');
    expect(windowVerdict([deny], at('2026-12-03T00:00:00Z')).open).toBe(true);
    expect(windowVerdict([deny], at('2026-12-02T21:59:59Z')).open).toBe(true);
  });
  it('with allow windows, open only inside one; deny wins over allow', () => {
    expect(windowVerdict([allow], at('2026-12-02T10:00:00Z')).open).toBe(true); // a Wednesday
    const closed = windowVerdict([allow], at('2026-12-05T10:00:00Z')); // a Saturday
    expect(closed.open).toBe(false);
    expect(closed.changesAt?.toISOString()).toBe('2026-12-07T09:00:00.000Z');
    const both = [allow, { ...deny, schedule: '0 12 * * *' }];
    expect(windowVerdict(both, at('2026-12-02T13:00:00Z')).open).toBe(false);
  });
  it('reads the schedule in its time zone', () => {
    const paris = { ...deny, schedule: '0 22 * * *', timeZone: 'Europe/Paris' };
    expect(windowVerdict([paris], at('2026-12-02T21:30:00Z')).open).toBe(false); // 22:30 in Paris
    expect(windowVerdict([paris], at('2026-12-02T20:30:00Z')).open).toBe(true);
  });
});

describe('configuration of dependsOn and syncWindows', () => {
  it('berth up with a dependsOn cycle exits 2 naming the cycle, before anything starts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-cycle-'));
    try {
      const file = path.join(dir, 'berth.yaml');
      writeFileSync(
        file,
        `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources:\n  - {name: a, repo: ${dir}, dependsOn: [b]}\n  - {name: b, repo: ${dir}, dependsOn: [c]}\n  - {name: c, repo: ${dir}, dependsOn: [a]}\n`,
      );
      const run = await runCli(['up', '-c', file], {
        env: { BERTH_REDIS_URL: 'redis://127.0.0.1:1' },
        cwd: dir,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('sources: dependsOn makes a cycle: a → b → c → a');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const compile = (sources: unknown[]) =>
    compileConfig({
      file: { apiVersion: 'berth.dev/v1alpha1', kind: 'BerthConfig', sources } as never,
      env: {},
    });
  const src = (name: string, extra = {}) => ({ name, repo: `/tmp/${name}`, ...extra });

  it('compiles windows and dependencies', () => {
    const config = compile([
      src('db'),
      src('app', {
        dependsOn: ['db'],
        syncWindows: [
          { kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Europe/Paris' },
        ],
      }),
    ]);
    expect(config.sources[1]).toMatchObject({
      dependsOn: ['db'],
      syncWindows: [
        {
          kind: 'deny',
          schedule: '0 22 * * *',
          durationMs: 3600_000,
          timeZone: 'Europe/Paris',
          manualSync: false,
        },
      ],
      rollback: { respectSyncWindows: false },
    });
  });
  it.each([
    [
      [src('a', { dependsOn: ['b'] }), src('b', { dependsOn: ['a'] })],
      'dependsOn makes a cycle: a → b → a',
    ],
    [[src('a', { dependsOn: ['a'] })], 'dependsOn makes a cycle: a → a'],
    [[src('a', { dependsOn: ['nope'] })], 'no source is named "nope"'],
    [
      [src('a', { syncWindows: [{ kind: 'deny', schedule: '0 22 * *', duration: '1h' }] })],
      'must be a cron expression of 5 fields',
    ],
    [
      [
        src('a', {
          syncWindows: [
            { kind: 'deny', schedule: '0 22 * * *', duration: '1h', timeZone: 'Mars/Olympus' },
          ],
        }),
      ],
      'unknown time zone "Mars/Olympus"',
    ],
  ])('refuses %j', (sources, message) => {
    expect(() => compile(sources)).toThrow(ConfigError);
    expect(() => compile(sources)).toThrow(message);
  });
});
