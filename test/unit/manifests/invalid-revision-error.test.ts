import { describe, expect, it } from 'vitest';
import { InvalidRevisionError, validateRevision } from '../../../src/manifests/index.js';
import { BerthError } from '../../../src/util/berth-error.js';

describe('InvalidRevisionError', () => {
  it('carries the error count and positioned problems, never Secret values', () => {
    const text =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ndata: {password: "hunter2 not base64"}\n';
    const result = validateRevision([
      { path: 's.yaml', content: new TextEncoder().encode(text), mode: 'file' },
    ]);
    const err = new InvalidRevisionError('abc123', result.problems);
    expect(err).toBeInstanceOf(BerthError);
    expect(err.code).toBe('MANIFESTS_INVALID');
    expect(err.message).toBe('revision abc123 is invalid: 1 error(s)');
    expect(err.toJSON().data).toEqual({
      revision: 'abc123',
      errors: 1,
      problems: [
        {
          file: 's.yaml',
          line: 4,
          column: 18,
          severity: 'error',
          kind: 'Secret',
          namespace: 'default',
          name: 'db',
          path: 'data.password',
          message: 'expected base64-encoded data, found a string (value hidden: Secret)',
        },
      ],
    });
    expect(JSON.stringify(err.toJSON())).not.toContain('hunter2');
  });
});
