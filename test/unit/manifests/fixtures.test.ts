import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ValidateOptions, validateRevision } from '../../../src/manifests/index.js';

// Table of YAML fixtures: each file is one revision. Its header comments say what Berth must
// report, exactly (no more, no fewer problems):
//   # options: {"podSecurity": "restricted"}
//   # expect: <error|warning> <code> <field path or -> [@line:col] [~ text the message contains]
//   # expect: valid            (no problem at all)
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Expectation {
  severity: string;
  code: string;
  path: string;
  at?: string;
  contains?: string;
}

function parseHeader(text: string): { options: ValidateOptions; expected: Expectation[] } {
  let options: ValidateOptions = {};
  const expected: Expectation[] = [];
  for (const line of text.split('\n')) {
    const opt = /^# options: (.*)$/.exec(line);
    if (opt) options = JSON.parse(opt[1] as string);
    const m = /^# expect: (error|warning) (\S+) (\S+)(?: @(\d+:\d+))?(?: ~ (.*))?$/.exec(line);
    if (line.startsWith('# expect:') && !m && line !== '# expect: valid')
      throw new Error(`cannot read fixture line: ${line}`);
    if (m) {
      expected.push({
        severity: m[1] as string,
        code: m[2] as string,
        path: m[3] === '-' ? '' : (m[3] as string),
        ...(m[4] ? { at: m[4] } : {}),
        ...(m[5] ? { contains: m[5] } : {}),
      });
    }
  }
  return { options, expected };
}

describe('manifest fixtures', () => {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it('has fixtures', () => expect(files.length).toBeGreaterThan(10));
  for (const file of files) {
    it(file, () => {
      const content = readFileSync(path.join(dir, file));
      const { options, expected } = parseHeader(content.toString('utf8'));
      const result = validateRevision([{ path: file, content, mode: 'file' }], options);
      const got = result.problems.map((p) => ({
        severity: p.severity,
        code: p.code,
        path: p.path,
        at: `${p.line}:${p.column}`,
        message: p.message,
      }));
      const unmatched = [...got];
      for (const e of expected) {
        const i = unmatched.findIndex(
          (g) =>
            g.severity === e.severity &&
            g.code === e.code &&
            g.path === e.path &&
            (e.at === undefined || g.at === e.at) &&
            (e.contains === undefined || g.message.includes(e.contains)),
        );
        expect(
          i,
          `expected ${JSON.stringify(e)} among ${JSON.stringify(unmatched, null, 1)}`,
        ).toBeGreaterThanOrEqual(0);
        unmatched.splice(i, 1);
      }
      expect(unmatched, 'problems no fixture line expects').toEqual([]);
      expect(result.valid).toBe(!expected.some((e) => e.severity === 'error'));
      if (result.valid) expect(result.state.objects.size).toBeGreaterThan(0);
    });
  }
});
