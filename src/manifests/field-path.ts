/**
 * Turns a JSON Pointer (`/spec/containers/0/image`, as ajv reports it) into the field path
 * kubectl prints (`spec.containers[0].image`). Keys that are not plain identifiers are quoted
 * (`metadata.labels["app.kubernetes.io/name"]`).
 */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Builds a JSON Pointer from segments, escaping `~` and `/`. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
