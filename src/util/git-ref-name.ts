/** Longest ref the API accepts; git has no limit, but no real branch or tag comes close. */
export const MAX_REF_LENGTH = 255;

const FORBIDDEN = new Set([' ', '~', '^', ':', '?', '*', '[', '\\']);

/**
 * Why `ref` is not a ref the API accepts, or undefined when it is: a 40-hex commit SHA, or a
 * name that passes `git check-ref-format --allow-onelevel` (no `..`, no `@{`, no control
 * characters, space, `~ ^ : ? * [ \`, no component starting with `.` or ending with `.lock`,
 * no empty component, not `@`, not ending with `.`), at most {@link MAX_REF_LENGTH} characters.
 * One pass over the characters: linear time whatever the input.
 */
export function refNameProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'the ref is empty';
  if (ref.length > MAX_REF_LENGTH) return `the ref is longer than ${MAX_REF_LENGTH} characters`;
  if (ref === '@') return 'the ref "@" is not a name';
  let componentStart = 0;
  for (let i = 0; i <= ref.length; i++) {
    const c = i < ref.length ? ref[i] : '/';
    if (c === '/') {
      const component = ref.slice(componentStart, i);
      if (component === '')
        return 'the ref has an empty path component (a leading, trailing or double "/")';
      if (component.startsWith('.')) return 'a path component of the ref starts with "."';
      if (component.endsWith('.lock')) return 'a path component of the ref ends with ".lock"';
      componentStart = i + 1;
      continue;
    }
    const code = (c as string).charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return 'the ref contains a control character';
    if (FORBIDDEN.has(c as string)) return `the ref contains "${c}"`;
    if (c === '.' && ref[i + 1] === '.') return 'the ref contains ".."';
    if (c === '@' && ref[i + 1] === '{') return 'the ref contains "@{"';
  }
  if (ref.endsWith('.')) return 'the ref ends with "."';
  return undefined;
}
