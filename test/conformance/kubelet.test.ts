import { describe, expect, it } from 'vitest';
import { restartDelayMs } from '../../src/node/backoff.js';
import {
  initialProbeWorker,
  type ProbeResult,
  type ProbeWorkerState,
  probeWorkerStep,
} from '../../src/node/probe-worker.js';
import { probeTiming } from '../../src/node/prober.js';
import { conformanceFixture } from './fixture.js';

describe('kubernetes staging/src/k8s.io/client-go/util/flowcontrol/backoff_test.go (kubelet restart backoff)', () => {
  const f = conformanceFixture<{
    slowBackoff: { step: number; max: number; waits: number[] };
    kubeletDefaults: { step: number; max: number; waits: number[] };
    backoffReset: {
      step: number;
      max: number;
      restartsBefore: number;
      ranFor: number;
      wait: number;
      nextWait: number;
      nextSkip: string;
    };
  }>('./kubelet/backoff.yaml');
  const policy = (step: number, max: number) => ({
    initialMs: step * 1000,
    maxMs: max * 1000,
    resetMs: 2 * max * 1000,
  });

  for (const [name, t] of [
    ['TestSlowBackoff', f.slowBackoff],
    ['the kubelet: 10 s doubling to 300 s', f.kubeletDefaults],
  ] as const) {
    it(name, () => {
      const waits = t.waits.map(
        (_, restarts) => restartDelayMs(policy(t.step, t.max), restarts, t.step * 1000) / 1000,
      );
      expect(waits).toEqual(t.waits);
    });
  }

  const r = f.backoffReset;
  it('TestBackoffReset: a run longer than twice the max restarts at once', () => {
    expect(restartDelayMs(policy(r.step, r.max), r.restartsBefore, r.ranFor * 1000)).toBe(
      r.wait * 1000,
    );
  });
  it.skip(`TestBackoffReset: the next crash waits the initial step again: ${r.nextSkip}`, () => {});
});

describe('kubernetes pkg/kubelet/prober/worker_test.go (probe thresholds)', () => {
  const f = conformanceFixture<{
    initialDelay: Record<'liveness' | 'readiness' | 'startup', [ProbeResult, ProbeResult]>;
    failureThreshold: Sequence;
    successThreshold: Sequence;
  }>('./kubelet/prober.yaml');
  interface Sequence {
    probe: { successThreshold: number; failureThreshold: number };
    start: ProbeResult;
    rounds: number;
    steps: Array<['s' | 'f', ProbeResult]>;
  }

  it('TestInitialDelay', () => {
    for (const kind of ['liveness', 'readiness', 'startup'] as const) {
      const [during, after] = f.initialDelay[kind];
      const t = probeTiming({ initialDelaySeconds: 10 });
      expect(t.initialDelayMs).toBe(10_000);
      const worker = initialProbeWorker(kind);
      expect(worker.result, `${kind} during initial delay`).toBe(during);
      expect(probeWorkerStep(worker, t, true).result, `${kind} after initial delay`).toBe(after);
    }
  });

  for (const [name, seq] of [
    ['TestFailureThreshold', f.failureThreshold],
    ['TestSuccessThreshold', f.successThreshold],
  ] as const) {
    it(name, () => {
      let w: ProbeWorkerState = { result: seq.start, run: 0 };
      for (let round = 0; round < seq.rounds; round++) {
        for (const [i, [outcome, want]] of seq.steps.entries()) {
          w = probeWorkerStep(w, seq.probe, outcome === 's');
          expect(w.result, `round ${round} probe ${i + 1} (${outcome})`).toBe(want);
        }
      }
    });
  }

  it('the kubelet defaults: period 10 s, timeout 1 s, success 1, failure 3, no delay', () => {
    expect(probeTiming({})).toEqual({
      initialDelayMs: 0,
      periodMs: 10_000,
      timeoutMs: 1000,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });
});
