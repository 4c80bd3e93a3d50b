import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../../src/manifests/quantity.js';

describe('parseQuantity', () => {
  const cases: Array<[unknown, number | null]> = [
    [0.5, 0.5],
    [2, 2],
    ['1', 1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.', 1],
    ['5u', 5e-6],
    ['500m', 0.5],
    ['250u', 0.00025],
    ['100n', 1e-7],
    ['1k', 1000],
    ['1M', 1e6],
    ['2G', 2e9],
    ['1Ki', 1024],
    ['128Mi', 128 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['+1', 1],
    ['12 apples', null],
    ['1mi', null],
    ['Mi', null],
    ['', null],
    [' 1', null],
    ['1.2.3', null],
    ['0x10', null],
    [true, null],
    [null, null],
    [Number.POSITIVE_INFINITY, null],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => {
      const got = parseQuantity(input);
      if (expected === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(expected, 12);
    });
  }
});
