/** The one rule of a sops file that says which leaves are encrypted (`sops.go` `shouldBeEncrypted`). */
export type EncryptionRule =
  | { kind: 'unencrypted_suffix'; suffix: string }
  | { kind: 'encrypted_suffix'; suffix: string }
  | { kind: 'unencrypted_regex'; regex: RegExp }
  | { kind: 'encrypted_regex'; regex: RegExp };

/** The metadata field names of the rules, in sops's order. */
export const RULE_FIELDS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
] as const;

/**
 * A Go (RE2) pattern as a JavaScript RegExp, unanchored as Go's `regexp.Match`. RE2's leading
 * inline flags (`(?i)`, `(?s)`, `(?m)`, combined) become RegExp flags; returns a reason
 * string for a pattern JavaScript cannot compile.
 */
export function goRegExp(pattern: string): RegExp | string {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    flags += [...new Set(inline[1])].join('');
    source = source.slice(inline[0].length);
  }
  try {
    return new RegExp(source, flags);
  } catch {
    return `the pattern ${JSON.stringify(pattern.slice(0, 80))} is not a regular expression Berth can use`;
  }
}

/**
 * Whether the leaf at `path` (the mapping keys from the document root; list indexes are not
 * part of it) is encrypted. Comments use the path of the collection that holds them.
 */
export function shouldBeEncrypted(rule: EncryptionRule, path: readonly string[]): boolean {
  switch (rule.kind) {
    case 'unencrypted_suffix':
      return !path.some((k) => k.endsWith(rule.suffix));
    case 'encrypted_suffix':
      return path.some((k) => k.endsWith(rule.suffix));
    case 'unencrypted_regex':
      return !path.some((k) => rule.regex.test(k));
    case 'encrypted_regex':
      return path.some((k) => rule.regex.test(k));
  }
}
