import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configValidator, precompiledConfigCode } from '../../../src/config/config-validator.js';
import { SUPPORTED_KINDS } from '../../../src/manifests/kinds.js';
import {
  kindSchemaFiles,
  precompiledSchemaCode,
  schemaAjv,
} from '../../../src/manifests/schema-registry.js';
import { loadPrecompiled } from '../../../src/util/precompiled-validators.js';

// `npm run build` writes the schemas' validators as ajv standalone code (dist/, loaded instead of
// compiling the schemas at every start); the tests run from the sources, which compile them.
// Both must give the same verdict and the same errors (Berth's messages are made from them)
// on every manifest at hand: the corpus, the fixtures and the example repository.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);

/** Evaluates standalone code as the CommonJS module the build writes. */
function evaluate(code: string): Record<string, ValidateFunction> {
  const module = { exports: {} as Record<string, ValidateFunction> };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

/** Every object of a kind Berth supports in the YAML files under `dirs`, with its schema. */
function objects(dirs: string[]): Array<{ file: string; schema: string; value: unknown }> {
  return dirs
    .flatMap(walk)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc) => {
        if (!('toJS' in doc) || doc.errors.length > 0) return [];
        const value = doc.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
        const kind = SUPPORTED_KINDS.get(`${value?.apiVersion} ${value?.kind}`);
        return kind ? [{ file: path.relative(repoRoot, file), schema: kind.schema, value }] : [];
      }),
    );
}

describe('precompiled schema validators', () => {
  it('give the verdict and errors of the compiled schemas on every manifest at hand', () => {
    const precompiled = evaluate(precompiledSchemaCode());
    expect(Object.keys(precompiled).sort()).toEqual(kindSchemaFiles().sort());
    const ajv = schemaAjv();
    const all = objects([
      path.join(repoRoot, '../shared/corpus/manifests'),
      path.join(repoRoot, 'test/unit/manifests/fixtures'),
      path.join(repoRoot, 'examples-repo'),
    ]);
    expect(all.length).toBeGreaterThan(50);
    let invalid = 0;
    for (const { file, schema, value } of all) {
      const compiled = ajv.getSchema(schema) as ValidateFunction;
      const fast = precompiled[schema] as ValidateFunction;
      const verdict = compiled(value);
      expect(fast(value), file).toBe(verdict);
      expect(fast.errors ?? null, file).toEqual(compiled.errors ?? null);
      if (!verdict) invalid++;
    }
    // Both branches were exercised: objects Berth accepts and objects it rejects.
    expect(invalid).toBeGreaterThan(5);
    expect(invalid).toBeLessThan(all.length);
  }, 120_000);

  it('validate berth.yaml as the compiled configuration schema does', () => {
    const precompiled = evaluate(precompiledConfigCode()).validate as ValidateFunction;
    const compiled = configValidator();
    const configs = [
      { apiVersion: 'berth.dev/v1alpha1', kind: 'BerthConfig' },
      { apiVersion: 'berth.dev/v1alpha1', kind: 'BerthConfig', redis: { host: 'x' } },
      { apiVersion: 'berth.dev/v1alpha1', kind: 'BerthConfig', sources: [{ name: 1 }] },
      { apiVersion: 'berth.dev/v1', sources: [{ name: 'a', repo: '/srv/a', branch: 'main' }] },
    ];
    for (const config of configs) {
      expect(precompiled(config)).toBe(compiled(config));
      expect(precompiled.errors ?? null).toEqual(compiled.errors ?? null);
    }
  }, 60_000);

  it('are not used when the build did not write them (running from the sources)', () => {
    expect(loadPrecompiled(new URL('./no-such-validators.cjs', import.meta.url))).toBeUndefined();
  });
});
