import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { type Problem, SUPPORTED_KINDS, validateRevision } from '../../../src/manifests/index.js';
import { loadManifests } from '../../../src/manifests/load-manifests.js';

// Conformance against manifests and schemas nobody on the team wrote (../shared/corpus, see
// its README): for every corpus object of a kind Berth supports, Berth never accepts what
// the upstream Kubernetes strict schema rejects; each kubeconform fixture gets the verdict
// its README table expects. Each file is validated as its own revision.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const schemas = path.join(corpus, 'k8s-schemas/v1.32.2-standalone-strict');
const present = existsSync(path.join(corpus, 'manifests')) && existsSync(schemas);
if (!present) console.warn(`conformance: skipped, no corpus at ${corpus}`);

const UNSUPPORTED = new Set<Problem['code']>([
  'unsupported-field',
  'unsupported-kind',
  'unknown-kind',
  'removed-api',
  'kustomize',
  'ignored-kind',
]);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

let ajv: Ajv | undefined;
const upstream = new Map<string, ValidateFunction>();
/** The upstream strict validator of `apiVersion kind`, compiled once (README's ajv setup). */
function upstreamValidator(apiVersion: string, kind: string): ValidateFunction {
  const key = `${apiVersion} ${kind}`;
  let v = upstream.get(key);
  if (v) return v;
  if (!ajv) {
    ajv = new Ajv({ strict: true, allErrors: false, allowUnionTypes: true });
    ajv.addVocabulary([
      'x-kubernetes-group-version-kind',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-list-type',
      'x-kubernetes-map-type',
      'x-kubernetes-patch-merge-key',
      'x-kubernetes-patch-strategy',
      'x-kubernetes-unions',
      'x-kubernetes-int-or-string',
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-embedded-resource',
    ]);
    addFormats.default(ajv, ['int32', 'int64', 'byte', 'date-time']);
  }
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]?.split('.')[0] : '';
  const version = apiVersion.split('/').at(-1);
  const file = `${kind.toLowerCase()}${group ? `-${group}` : ''}-${version}.json`;
  const schema = JSON.parse(readFileSync(path.join(schemas, file), 'utf8'));
  delete schema.$schema;
  v = ajv.compile(schema);
  upstream.set(key, v);
  return v;
}

/**
 * accepted; ignored (a kind with no effect on a container host: warning); unsupported (a kind,
 * apiVersion or field Berth does not implement); invalid (Kubernetes or Berth's checks reject
 * the object itself); incomplete (valid alone, but refers to objects, or a namespace, that
 * another file of the corpus holds: each file is validated as its own revision).
 */
type Verdict = 'accepted' | 'ignored' | 'invalid' | 'unsupported' | 'incomplete';
/** Problems about the revision around an object rather than the object itself. */
const REVISION_LEVEL = new Set<Problem['code']>(['namespace', 'reference', 'duplicate']);

describe.skipIf(!present)('conformance with the Kubernetes corpus', () => {
  const files = present ? walk(path.join(corpus, 'manifests')) : [];
  const verdictsByFile = new Map<string, Verdict[]>();
  const counts: Record<Verdict, number> = {
    accepted: 0,
    ignored: 0,
    invalid: 0,
    unsupported: 0,
    incomplete: 0,
  };
  const fileErrors = new Map<string, Problem[]>();

  it('never accepts an object the upstream schema rejects', () => {
    const violations: string[] = [];
    let checkedUpstream = 0;
    let unreadable = 0; // files rejected before any object (YAML errors, no kind, Kustomize...)
    for (const full of files) {
      const rel = path.relative(corpus, full);
      const source = [{ path: rel, content: readFileSync(full), mode: 'file' as const }];
      const result = validateRevision(source, {});
      fileErrors.set(
        rel,
        result.problems.filter((p) => p.severity === 'error'),
      );
      const loaded = loadManifests(source);
      const verdicts: Verdict[] = [];
      for (const obj of loaded.objects) {
        const mine = result.problems.filter(
          (p) =>
            p.line >= obj.position.line &&
            p.kind === obj.kind &&
            p.name === obj.name &&
            p.namespace === obj.namespace,
        );
        const errors = mine.filter((p) => p.severity === 'error');
        const own = errors.filter((p) => !REVISION_LEVEL.has(p.code));
        const supported = SUPPORTED_KINDS.has(`${obj.apiVersion} ${obj.kind}`);
        const verdict: Verdict =
          errors.length === 0
            ? supported
              ? 'accepted'
              : 'ignored'
            : own.some((p) => UNSUPPORTED.has(p.code))
              ? 'unsupported'
              : own.length > 0
                ? 'invalid'
                : 'incomplete';
        verdicts.push(verdict);
        counts[verdict]++;
        if (!SUPPORTED_KINDS.has(`${obj.apiVersion} ${obj.kind}`)) continue;
        checkedUpstream++;
        const validate = upstreamValidator(obj.apiVersion, obj.kind);
        if (!validate(obj.value) && (verdict === 'accepted' || verdict === 'incomplete')) {
          violations.push(
            `${rel}:${obj.position.line} ${obj.kind} ${obj.name}: upstream rejects (${validate.errors?.[0]?.instancePath} ${validate.errors?.[0]?.message}) but Berth accepts`,
          );
        }
      }
      const fileProblems = result.problems.filter((p) => p.severity === 'error' && p.kind === '');
      if (fileProblems.length > 0 && loaded.objects.length === 0) {
        verdicts.push(
          fileProblems.some((p) => UNSUPPORTED.has(p.code)) ? 'unsupported' : 'invalid',
        );
        unreadable++;
      }
      verdictsByFile.set(rel, verdicts);
    }
    console.log(
      `conformance: ${files.length} files, ${Object.values(counts).reduce((a, b) => a + b, 0)} objects: ` +
        `accepted ${counts.accepted}, ignored (no effect) ${counts.ignored}, invalid ${counts.invalid}, unsupported ${counts.unsupported}, ` +
        `incomplete (refer to other files) ${counts.incomplete}; ` +
        `${unreadable} files rejected before any object (YAML error, no kind, Kustomize); ` +
        `${checkedUpstream} objects of Berth's kinds checked against the upstream schemas`,
    );
    expect(checkedUpstream).toBeGreaterThan(100);
    expect(violations).toEqual([]);
  }, 120_000);

  // kubeconform's expectations (corpus README table): FAIL must be rejected by Berth; pass
  // must not be rejected as invalid (Berth may still refuse a kind or field it does not run).
  const FIXTURES: Record<string, 'FAIL' | 'pass'> = {
    'invalid.yaml': 'FAIL',
    'multi_invalid.yaml': 'FAIL',
    'list_invalid.yaml': 'FAIL',
    'missing_kind.yaml': 'FAIL',
    'missing_kind_value.yaml': 'FAIL',
    'missing_apiversion.yaml': 'FAIL',
    'multi_invalid_resources.yaml': 'FAIL',
    'extra_property.yaml': 'FAIL',
    'duplicate_property.yaml': 'FAIL',
    'test_crd.yaml': 'FAIL',
    'crd_schema.yaml': 'FAIL',
    'same-kind-different-api.yaml': 'FAIL',
    'duplicates.yaml': 'FAIL',
    'duplicates-non-namespaced.yaml': 'FAIL',
    'duplicates-with-namespace.yaml': 'FAIL',
    'duplicates-with-namespace-default.yaml': 'FAIL',
    'duplicates-skipped-kinds.yaml': 'FAIL',
    'httpproxy.yaml': 'pass',
    'grafana-alert-rule-group-sample.yaml': 'pass',
    'valid.yaml': 'pass',
    'valid.json': 'pass',
    'folder/valid.yaml': 'pass',
    'folder/multi_valid.yaml': 'pass',
    'blank.yaml': 'pass',
    'comment.yaml': 'pass',
    'list_valid.yaml': 'pass',
    'list_empty_valid.yaml': 'pass',
    'multi_with_list.yaml': 'pass',
    'multi_valid.yaml': 'pass',
    'int_or_string.yaml': 'pass',
    'null_string.yaml': 'pass',
    'null_array.yaml': 'pass',
    'quantity.yaml': 'pass',
    'generate_name.yaml': 'pass',
    'valid_version.yaml': 'pass',
    'unconventional_keys.yaml': 'pass',
    'full_domain_group.yaml': 'pass',
  };
  for (const [fixture, expected] of Object.entries(FIXTURES)) {
    it(`kubeconform fixture ${fixture}: ${expected === 'FAIL' ? 'rejected' : 'not rejected as invalid'}`, () => {
      const rel = path.join('manifests/kubeconform/fixtures', fixture);
      const verdicts = verdictsByFile.get(rel);
      expect(verdicts, `${rel} was not read`).toBeDefined();
      const errors = fileErrors.get(rel) ?? [];
      if (expected === 'FAIL') expect(errors.length).toBeGreaterThan(0);
      else expect(verdicts).not.toContain('invalid');
    });
  }

  it('rejects the known-invalid files the corpus README lists, for the reason it gives', () => {
    const reason = (rel: string) => (fileErrors.get(rel) ?? []).map((p) => `${p.code} ${p.path}`);
    const site = 'manifests/kubernetes-website/content/en/examples';
    expect(reason(`${site}/service/networking/dual-stack-ipv6-lb-svc.yaml`)).toContain(
      'unknown-field spec.ipFamily',
    );
    expect(reason(`${site}/application/job/cronjob.yaml`)).toContain('removed-api apiVersion');
    expect(reason(`${site}/service/networking/example-ingress.yaml`)).toContain(
      'removed-api apiVersion',
    );
    expect(reason(`${site}/controllers/job-pod-failure-policy-ignore.yaml`)).toContain('yaml ');
    expect(reason(`${site}/controllers/job-success-policy-example.yaml`)).toContain(
      'schema metadata',
    );
    expect(
      reason(
        'manifests/argocd-example-apps/plugins/kustomized-helm/overlays/guestbook-deployment.yaml',
      ),
    ).toContain('schema spec.selector');
    expect(
      fileErrors.get('manifests/argocd-example-apps/kustomize-guestbook/guestbook-ui-svc.yaml'),
    ).toEqual([]);
  });
});
