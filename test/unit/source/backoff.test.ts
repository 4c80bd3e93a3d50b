import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/source/index.js';
import { redactSecrets } from '../../../src/source/redact-secrets.js';

describe('retryDelayMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [1000, 60_000],
  ])('failure %i waits %i ms (base 1 s, cap 60 s)', (failures, expected) => {
    expect(retryDelayMs(failures, 1000, 60_000)).toBe(expected);
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence of each secret, raw and URL-encoded', () => {
    const text = 'auth p@ss/word failed for http://u:p%40ss%2Fword@host, p@ss/word again';
    expect(redactSecrets(text, ['p@ss/word', ''])).toBe(
      'auth *** failed for http://u:***@host, *** again',
    );
  });
});
