import { describe, expect, it } from 'vitest';
import {
  type OrdinalPod,
  statefulSetStatus,
  statefulSetStep,
} from '../../src/controllers/statefulset/index.js';
import { conformanceFixture } from './fixture.js';

interface Update {
  replicas?: number;
  revision?: string;
  partition?: number;
  delete?: number[];
  fail?: number[];
}
interface Case {
  name: string;
  policy: 'monotonic' | 'burst';
  initial: number;
  update?: Update;
  firstStep?: { delete: number[] };
  expectUpdate?: string[];
  expect: string[];
}
const f = conformanceFixture<Record<'control' | 'rollingUpdateWithPartition' | 'rollback', Case[]>>(
  './statefulset/stateful-set-control.yaml',
);

/** A StatefulSet `web` driven by statefulSetStep against a fake node, as upstream's fakeObjectManager. */
class FakeSet {
  pods = new Map<number, OrdinalPod & { phaseStep: number }>();
  currentRevision = 'r1';
  updateRevision = 'r1';
  partition = 0;
  /** Updates check upstream's assertUpdateInvariants, scaling its monotonic or burst ones. */
  updating = false;
  private seed = 42;

  constructor(
    public replicas: number,
    private readonly policy: Case['policy'],
  ) {}

  private random(n: number): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed % n;
  }

  /** One sync; returns the step. */
  sync() {
    const step = statefulSetStep({
      replicas: this.replicas,
      podManagementPolicy: this.policy === 'monotonic' ? 'OrderedReady' : 'Parallel',
      updateStrategy: { type: 'RollingUpdate', partition: this.partition },
      currentRevision: this.currentRevision,
      updateRevision: this.updateRevision,
      pods: [...this.pods.values()],
    });
    for (const name of step.delete) this.pods.delete(Number(name.split('-').pop()));
    for (const c of step.create) {
      this.pods.set(c.ordinal, {
        name: `web-${c.ordinal}`,
        ordinal: c.ordinal,
        revision: c.revision,
        phase: 'Pending',
        ready: false,
        phaseStep: 0,
      });
    }
    const status = statefulSetStatus({
      generation: 1,
      pods: [...this.pods.values()].map((p) => ({
        name: p.name,
        phase: p.phase,
        ready: p.ready,
        restarts: 0,
        createdAt: '',
        labels: {},
        annotations: {},
        revision: p.revision,
      })),
      currentRevision: this.currentRevision,
      updateRevision: this.updateRevision,
      minReadySeconds: 0,
      nowMs: 0,
    });
    this.currentRevision = status.currentRevision;
    return { step, status };
  }

  /** Upstream's kubelet stand-in: one random pod moves a phase forward. */
  advance(): void {
    const pods = [...this.pods.values()].filter((p) => !p.ready);
    if (pods.length === 0) return;
    const pod = pods[this.random(pods.length)] as OrdinalPod & { phaseStep: number };
    if (pod.phase === 'Pending') pod.phase = 'Running';
    else if (pod.phase === 'Running') pod.ready = true;
  }

  invariants(status: { currentReplicas: number; updatedReplicas: number }): void {
    const pods = [...this.pods.values()].sort((a, b) => a.ordinal - b.ordinal);
    if (this.updating) {
      // assertUpdateInvariants: the lowest currentReplicas pods are at the current revision,
      // the highest updatedReplicas at the update revision.
      for (let i = 0; i < status.currentReplicas && i < pods.length; i++)
        expect(pods[i]?.revision, `pod ${pods[i]?.name} current revision`).toBe(
          this.currentRevision,
        );
      for (let i = pods.length - 1, j = 0; j < status.updatedReplicas; i--, j++)
        expect(pods[i]?.revision, `pod ${pods[i]?.name} update revision`).toBe(this.updateRevision);
      return;
    }
    for (const [i, pod] of pods.entries()) {
      expect(pod.name).toBe(`web-${pod.ordinal}`);
      if (this.policy !== 'monotonic') continue;
      // assertMonotonicInvariants
      expect(pod.ordinal, `pods deployed in the wrong order ${pod.ordinal}`).toBe(i);
      const before = pods[i - 1];
      if (i > 0 && pod.ready && before && !before.ready)
        throw new Error(`successor ${pod.name} is Running and Ready while ${before.name} is not`);
    }
  }

  /** Syncs and advances until nothing is left to do and every pod is ready. */
  converge(): void {
    for (let round = 0; round < 2000; round++) {
      const { step, status } = this.sync();
      this.invariants(status);
      const settled =
        step.create.length === 0 &&
        step.delete.length === 0 &&
        status.readyReplicas === this.replicas &&
        status.replicas === this.replicas;
      if (settled) return;
      this.advance();
    }
    throw new Error('did not converge in 2000 rounds');
  }

  revisions(): string[] {
    return [...this.pods.values()].sort((a, b) => a.ordinal - b.ordinal).map((p) => p.revision);
  }
}

function run(c: Case) {
  const set = new FakeSet(c.initial, c.policy);
  set.converge();
  expect(set.revisions()).toEqual(Array(c.initial).fill('r1'));
  if (c.update) {
    const u = c.update;
    set.updating = Boolean(u.revision || u.delete || u.fail);
    if (u.replicas !== undefined) set.replicas = u.replicas;
    if (u.revision) set.updateRevision = u.revision;
    if (u.partition !== undefined) set.partition = u.partition;
    for (const o of u.delete ?? []) set.pods.delete(o);
    for (const o of u.fail ?? []) {
      const pod = set.pods.get(o);
      if (pod) Object.assign(pod, { phase: 'Failed', ready: false });
    }
    if (c.firstStep) {
      const { step } = set.sync();
      expect(step.delete).toEqual(c.firstStep.delete.map((o) => `web-${o}`));
      // The deleted pod is made again at once (Parallel) or on the next sync (OrderedReady).
      if (!set.pods.has(c.firstStep.delete[0] as number)) set.sync();
      expect(set.pods.get(c.firstStep.delete[0] as number)?.phase).toBe('Pending');
    }
    set.converge();
  }
  if (c.expectUpdate) {
    expect(set.revisions()).toEqual(c.expectUpdate);
    // ApplyRevision(set, revisions[0]): the template goes back to the first revision.
    set.updateRevision = 'r1';
    set.converge();
  }
  expect(set.revisions()).toEqual(c.expect);
  if (set.partition === 0 && c.expect.length > 0)
    expect(set.currentRevision).toBe(set.updateRevision);
}

describe('kubernetes pkg/controller/statefulset/stateful_set_control_test.go', () => {
  describe('TestStatefulSetControl', () => {
    for (const c of f.control) it(c.name, () => run(c));
  });
  describe('TestStatefulSetControlRollingUpdateWithPartition', () => {
    for (const c of f.rollingUpdateWithPartition) it(c.name, () => run(c));
  });
  describe('TestStatefulSetControlRollback', () => {
    for (const c of f.rollback) it(c.name, () => run(c));
  });
});
