import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  makePlan,
  type PlanObject,
  type PlanReport,
  podImpact,
  renderJson,
  renderMarkdown,
  renderText,
} from '../../../src/plan/index.js';

const CLUSTER_SCOPED = new Set(['Namespace']);

function load(name: string): PlanObject[] {
  const text = readFileSync(new URL(`fixtures/${name}.yaml`, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => {
    const value = d.toJS() as Record<string, unknown>;
    const meta = value.metadata as { name: string; namespace?: string };
    const kind = value.kind as string;
    return {
      apiVersion: value.apiVersion as string,
      kind,
      namespace: CLUSTER_SCOPED.has(kind) ? '' : (meta.namespace ?? 'default'),
      name: meta.name,
      value,
    };
  });
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited as free-form YAML data
function edit(objects: PlanObject[], key: string, change: (v: any) => void): PlanObject[] {
  return objects.map((o) => {
    if (`${o.kind}/${o.namespace}/${o.name}` !== key) return o;
    const value = structuredClone(o.value);
    change(value);
    return { ...o, value };
  });
}

const live = [...load('app-v1-live'), ...load('app-v2-extra')];
let desired = [...load('app-v1'), ...load('app-v2-extra')].filter((o) => o.kind !== 'Ingress');
desired = edit(desired, 'Deployment/shop/web', (d) => {
  d.spec.template.spec.containers[0].image = 'berth.local/example-web:2';
});
desired = edit(desired, 'Deployment/shop/api', (d) => {
  d.spec.replicas = 3;
});
desired = edit(desired, 'ConfigMap/shop/api-config', (c) => {
  c.data.greeting = 'hello from v2';
});
desired = edit(desired, 'Secret/shop/db', (s) => {
  s.stringData.password = 'hunter2-v2';
});

function report(): PlanReport {
  const plan = makePlan({ desired, live });
  return {
    source: 'shop',
    head: { ref: 'feature/v2', sha: 'b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7' },
    base: { ref: 'main', sha: '0123456789abcdef0123456789abcdef01234567' },
    valid: true,
    plan,
    impacts: podImpact(plan.actions, desired),
    problems: [
      {
        file: 'web/service.yaml',
        line: 3,
        column: 1,
        severity: 'warning',
        kind: 'Service',
        namespace: 'shop',
        name: 'web',
        path: 'spec.selector',
        message: 'selects no workload of this revision',
      },
    ],
  };
}

describe('podImpact', () => {
  it('says which pods are replaced, restarted or scaled, and because of what', () => {
    expect(report().impacts).toEqual([
      {
        key: 'Deployment/shop/api',
        effect: 'roll',
        containers: ['api'],
        because: ['ConfigMap shop/api-config changed'],
      },
      {
        key: 'Deployment/shop/web',
        effect: 'replace',
        containers: ['web'],
        because: ['spec.template.spec.containers[web].image'],
      },
    ]);
  });
});

describe('plan rendering', () => {
  it('renders text as expected', async () => {
    await expect(renderText(report())).toMatchFileSnapshot('fixtures/expected/plan.txt');
  });

  it('renders a pull-request comment as expected', async () => {
    await expect(renderMarkdown(report())).toMatchFileSnapshot('fixtures/expected/plan.md');
  });

  it('never prints a Secret value in any format', () => {
    for (const out of [renderText(report()), renderMarkdown(report()), renderJson(report())]) {
      expect(out).toContain('Secret');
      expect(out).not.toContain('hunter2');
    }
  });

  it('prints JSON as a Kubernetes-shaped object', () => {
    const json = JSON.parse(renderJson(report()));
    expect(json).toMatchObject({
      apiVersion: 'berth.dev/v1alpha1',
      kind: 'Plan',
      metadata: { name: 'shop' },
    });
    expect(json.status.summary).toEqual({ create: 0, update: 4, delete: 1, keep: 0, unchanged: 4 });
    expect(json.status.actions).toHaveLength(9);
  });

  it('shows an invalid revision as its errors, with file and line, and no plan', async () => {
    const invalid: PlanReport = {
      ...report(),
      valid: false,
      impacts: [],
      problems: [
        {
          file: 'web/deployment.yaml',
          line: 21,
          column: 18,
          severity: 'error',
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          path: 'spec.template.spec.containers[0].image',
          message: 'expected string, found number',
        },
      ],
    };
    delete invalid.plan;
    const md = renderMarkdown(invalid);
    expect(md).toContain('**❌ Invalid revision: 1 error.** Nothing would be applied.');
    expect(md).toContain(
      '| `web/deployment.yaml:21:18` | error | Deployment shop/web | spec.template.spec.containers[0].image | expected string, found number |',
    );
    expect(renderText(invalid)).toContain(
      'web/deployment.yaml:21:18: error: Deployment shop/web: spec.template.spec.containers[0].image: expected string, found number',
    );
  });

  it('keeps a 200-object change compact and under the comment limit', () => {
    const many: PlanObject[] = Array.from({ length: 200 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'shop',
      name: `cm-${String(i).padStart(3, '0')}`,
      value: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: 'shop' },
        data: { config: 'x\n'.repeat(100) },
      },
    }));
    const plan = makePlan({ desired: many, live: [] });
    const md = renderMarkdown({
      head: { ref: 'big', sha: 'f'.repeat(40) },
      base: { live: true },
      valid: true,
      plan,
      impacts: [],
      problems: [],
    });
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain('| ConfigMap | 200 |  |  |');
    expect(md).toMatch(
      /_\d+ more diffs left out to fit the comment: run `berth plan` for all of them._/,
    );
  });
});
