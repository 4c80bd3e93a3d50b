import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { PodFacts } from '../../../src/controllers/pod-facts.js';

/** One table-driven case of a YAML fixture: a name, the input, and what is expected. */
export interface Case<I = Record<string, unknown>, E = Record<string, unknown>> {
  name: string;
  input: I;
  expect: E;
}

/** Reads `fixtures/<name>.yaml`, a list of cases. */
export function cases<I = Record<string, unknown>, E = Record<string, unknown>>(
  name: string,
): Array<[string, Case<I, E>]> {
  const list = parse(
    readFileSync(new URL(`fixtures/${name}.yaml`, import.meta.url), 'utf8'),
  ) as Array<Case<I, E>>;
  return list.map((c) => [c.name, c]);
}

/** The facts of a pod as fixtures write them, the fields not given at their zero value. */
export function pod(name: string, phase: string, ready = false, restarts = 0, finishedAt?: string) {
  const facts: PodFacts = {
    name,
    phase,
    ready,
    ...(ready ? { readySinceMs: 0 } : {}),
    restarts,
    ...(finishedAt ? { finishedAtMs: Date.parse(finishedAt) } : {}),
    createdAt: '2025-01-01T00:00:00Z',
    labels: {},
    annotations: {},
  };
  return facts;
}
