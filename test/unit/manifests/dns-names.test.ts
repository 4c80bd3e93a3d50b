import { describe, expect, it } from 'vitest';
import {
  dns1123LabelError,
  dns1123SubdomainError,
  labelValueError,
  portNameError,
  qualifiedNameError,
} from '../../../src/manifests/dns-names.js';

type Check = (value: string) => string | null;
const table: Array<[string, Check, string, boolean]> = [
  ['label', dns1123LabelError, 'web', true],
  ['label', dns1123LabelError, 'web-1', true],
  ['label', dns1123LabelError, 'a'.repeat(63), true],
  ['label', dns1123LabelError, 'a'.repeat(64), false],
  ['label', dns1123LabelError, 'Web', false],
  ['label', dns1123LabelError, '-web', false],
  ['label', dns1123LabelError, 'web.app', false],
  ['label', dns1123LabelError, '', false],
  ['subdomain', dns1123SubdomainError, 'web.app', true],
  ['subdomain', dns1123SubdomainError, 'web..app', false],
  ['subdomain', dns1123SubdomainError, 'web_app', false],
  ['subdomain', dns1123SubdomainError, `${'a'.repeat(63)}.${'b'.repeat(189)}`, true],
  ['subdomain', dns1123SubdomainError, 'a'.repeat(254), false],
  ['qualified', qualifiedNameError, 'app', true],
  ['qualified', qualifiedNameError, 'app.kubernetes.io/name', true],
  ['qualified', qualifiedNameError, 'My_Key.1', true],
  ['qualified', qualifiedNameError, 'a/b/c', false],
  ['qualified', qualifiedNameError, '/name', false],
  ['qualified', qualifiedNameError, 'Example.com/name', false],
  ['qualified', qualifiedNameError, 'name-', false],
  ['qualified', qualifiedNameError, 'a'.repeat(64), false],
  ['label value', labelValueError, '', true],
  ['label value', labelValueError, 'v1.2_3-x', true],
  ['label value', labelValueError, '-x', false],
  ['label value', labelValueError, 'a b', false],
  ['port name', portNameError, 'http', true],
  ['port name', portNameError, 'http-alt2', true],
  ['port name', portNameError, 'a'.repeat(16), false],
  ['port name', portNameError, 'h--x', false],
  ['port name', portNameError, '8080', false],
  ['port name', portNameError, 'HTTP', false],
];

describe('Kubernetes name syntaxes', () => {
  for (const [what, check, value, ok] of table) {
    it(`${what} ${JSON.stringify(value.length > 20 ? `${value.slice(0, 8)}...(${value.length})` : value)} is ${ok ? 'valid' : 'invalid'}`, () => {
      const err = check(value);
      if (ok) expect(err).toBeNull();
      else expect(err).toMatch(/must|prefix|name part/);
    });
  }
});
