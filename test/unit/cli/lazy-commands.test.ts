import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** The modules a file imports when it is loaded: static imports and re-exports of values. */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isExportDeclaration(statement) &&
      !statement.isTypeOnly &&
      statement.moduleSpecifier
    ) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

/** Packages loaded (package name -> the first file importing it) when `entry` is loaded. */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.'))
        visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else if (!spec.startsWith('node:')) {
        const name = spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/');
        if (!packages.has(name)) packages.set(name, path.relative(SRC, file));
      }
    }
  };
  visit(path.join(SRC, entry));
  return packages;
}

describe('berth starts without loading what a command does not use', () => {
  it('loads only commander before a command runs (--help, parsing, usage errors)', () => {
    // A package here is loaded by every `berth` invocation: import it inside the action
    // (`await import(...)`) of the command that needs it instead.
    expect(Object.fromEntries(packagesLoadedBy('cli/main.ts'))).toEqual({
      commander: 'cli/main.ts',
    });
  });

  it('sees through type-only imports but not through value imports', () => {
    const loaded = packagesLoadedBy('cli/open-state.ts');
    expect(loaded.has('ioredis')).toBe(true);
    expect(loaded.has('bullmq')).toBe(false);
  });
});
