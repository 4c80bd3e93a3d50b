import { describe, expect, it } from 'vitest';
import { latestTag } from '../../../src/images/tag-policy.js';

// Cases in the spirit of Flux's image-reflector policy tests (semver, alphabetical, numerical,
// filterTags with extract).
describe('latestTag: Flux ImagePolicy semantics', () => {
  const versions = [
    '1.0.0',
    '1.1.0',
    'v1.2.0',
    '1.2.1-rc.1',
    '2.0.0',
    'latest',
    '1.3',
    'not-a-version',
  ];
  it.each([
    ['>=1.0.0 <2', '1.3'],
    ['>=1.0.0', '2.0.0'],
    ['1.2.x', 'v1.2.0'],
    ['>=1.2.1-rc.0 <1.2.2', '1.2.1-rc.1'],
    ['~1.3', '1.3'],
    ['>=3', undefined],
  ])('semver %s → %s', (range, expected) => {
    expect(latestTag(versions, { semver: { range } })).toBe(expected);
  });
  it('skips a reverted tag until a newer one appears', () => {
    const tags = ['1.1.0', '1.2.0'];
    expect(latestTag(tags, { semver: { range: '>=1.0.0' } }, undefined, new Set(['1.2.0']))).toBe(
      '1.1.0',
    );
    expect(
      latestTag(
        [...tags, '1.2.1'],
        { semver: { range: '>=1.0.0' } },
        undefined,
        new Set(['1.2.0']),
      ),
    ).toBe('1.2.1');
  });
  it('alphabetical: asc picks the last, desc the first', () => {
    const tags = ['RELEASE.2024-01-02', 'RELEASE.2024-03-01', 'RELEASE.2023-12-31'];
    expect(latestTag(tags, { alphabetical: {} })).toBe('RELEASE.2024-03-01');
    expect(latestTag(tags, { alphabetical: { order: 'desc' } })).toBe('RELEASE.2023-12-31');
  });
  it('numerical: asc picks the largest, desc the smallest; non-numbers are left out', () => {
    const tags = ['9', '10', '100', '2.5', 'abc'];
    expect(latestTag(tags, { numerical: {} })).toBe('100');
    expect(latestTag(tags, { numerical: { order: 'desc' } })).toBe('2.5');
  });
  it('filterTags: only matching tags, compared by the extraction', () => {
    const tags = [
      'main-abc123-1700000000',
      'main-def456-1700000500',
      'feature-x-1800000000',
      '1.0.0',
    ];
    const filter = { pattern: '^main-[a-f0-9]+-(?<ts>[0-9]+)$', extract: '$ts' };
    expect(latestTag(tags, { numerical: { order: 'asc' } }, filter)).toBe('main-def456-1700000500');
    expect(
      latestTag(
        ['v1.0.0-alpine', 'v1.1.0-alpine', 'v2.0.0'],
        { semver: { range: '>=1' } },
        { pattern: '^v(.*)-alpine$', extract: '$1' },
      ),
    ).toBe('v1.1.0-alpine');
  });
});
