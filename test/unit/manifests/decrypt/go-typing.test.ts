import { describe, expect, it } from 'vitest';
import { formatGoFloat } from '../../../../src/manifests/decrypt/go-number.js';
import { resolveScalar } from '../../../../src/manifests/decrypt/go-yaml-scalar.js';
import { macBytes } from '../../../../src/manifests/decrypt/sops-value.js';

// Plain leaves are hashed into the MAC as go-yaml v3 types them (README of the sops corpus,
// "Pitfalls"): the bytes sops hashes for a scalar's source text, style and tag.
const cases: Array<[text: string, plain: boolean, tag: string | undefined, bytes: string | null]> =
  [
    ['0777', true, undefined, '511'],
    ['0o17', true, undefined, '15'],
    ['0x1F', true, undefined, '31'],
    ['0b101', true, undefined, '5'],
    ['-0b101', true, undefined, '-5'],
    ['1_000', true, undefined, '1000'],
    ['08', true, undefined, '8'],
    ['25.40', true, undefined, '25.4'],
    ['1e21', true, undefined, '1000000000000000000000'],
    ['1e-7', true, undefined, '0.0000001'],
    ['.5', true, undefined, '0.5'],
    ['-.inf', true, undefined, '-Inf'],
    ['yes', true, undefined, 'yes'],
    ['on', true, undefined, 'on'],
    ['True', true, undefined, 'True'],
    ['FALSE', true, undefined, 'False'],
    ['true', false, undefined, 'true'],
    ['0777', false, undefined, '0777'],
    ['2024-01-01', true, undefined, '2024-01-01T00:00:00Z'],
    ['2024-1-2T3:04:05.500+02:00', true, undefined, '2024-01-02T03:04:05.5+02:00'],
    ['2024-01-01', false, undefined, '2024-01-01'],
    ['5', false, 'tag:yaml.org,2002:int', '5'],
    ['5', true, 'tag:yaml.org,2002:float', '5'],
    ['5', true, 'tag:yaml.org,2002:str', '5'],
    ['aGVsbG8=', true, 'tag:yaml.org,2002:binary', 'hello'],
    ['x', true, '!custom', 'x'],
    ['~', true, undefined, null],
    ['', true, undefined, null],
    ['null', false, undefined, 'null'],
    ['9223372036854775807', true, undefined, '9223372036854775807'],
    ['18446744073709551616', true, undefined, '18446744073709552000'],
  ];

describe('go-yaml typing of plain leaves', () => {
  for (const [text, plain, tag, bytes] of cases) {
    it(`${plain ? 'plain' : 'quoted'} ${tag ?? ''} ${JSON.stringify(text)} hashes as ${JSON.stringify(bytes)}`, () => {
      const r = resolveScalar(text, plain, tag);
      if (bytes === null) expect(r).toEqual({ null: true });
      else {
        expect('value' in r).toBe(true);
        expect(macBytes((r as { value: never }).value).toString('utf8')).toBe(bytes);
      }
    });
  }
  it('an integer between int64 and uint64 is refused, as sops does (unknown type uint64)', () => {
    expect(resolveScalar('9223372036854775808', true)).toHaveProperty('error');
  });
  it('a tag the value cannot take is refused', () => {
    expect(resolveScalar('abc', true, 'tag:yaml.org,2002:int')).toHaveProperty('error');
  });
  it("formats floats as Go's FormatFloat(v, 'f', -1, 64)", () => {
    expect(
      [25.4, 1234568000, 0.1 + 0.2, -0, 5e-324, 1.7976931348623157e308].map(formatGoFloat),
    ).toEqual([
      '25.4',
      '1234568000',
      '0.30000000000000004',
      '-0',
      `0.${'0'.repeat(323)}5`,
      `17976931348623157${'0'.repeat(292)}`,
    ]);
  });
});
