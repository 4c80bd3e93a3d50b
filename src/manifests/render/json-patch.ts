import { isMap } from './field-spec.js';
import { RenderError } from './render-error.js';

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw new RenderError(`JSON pointer must start with '/': ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, pointer: string): { parent: unknown; key: string } {
  const t = tokens(pointer);
  const key = t.pop();
  if (key === undefined) throw new RenderError('JSON patch cannot target the whole document');
  let node = doc;
  for (const seg of t) {
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isMap(node)) node = node[seg];
    else node = undefined;
    if (node === undefined)
      throw new RenderError(`doc is missing path: "${pointer}": missing value`);
  }
  return { parent: node, key };
}

function get(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const seg of tokens(pointer)) {
    if (Array.isArray(node)) node = node[Number(seg)];
    else if (isMap(node)) node = node[seg];
    else node = undefined;
    if (node === undefined)
      throw new RenderError(`doc is missing path: "${pointer}": missing value`);
  }
  return node;
}

function index(arr: unknown[], key: string, adding: boolean): number {
  if (key === '-' && adding) return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new RenderError(`invalid array index: ${key}`);
  const i = Number(key);
  if (i > arr.length || (!adding && i >= arr.length))
    throw new RenderError(`Unable to access invalid index: ${i}: invalid index referenced`);
  return i;
}

function add(doc: unknown, pointer: string, value: unknown): void {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(index(parent, key, true), 0, value);
  else if (isMap(parent)) parent[key] = value;
  else throw new RenderError(`doc is missing path: "${pointer}"`);
}

function remove(doc: unknown, pointer: string): unknown {
  const { parent, key } = parentOf(doc, pointer);
  if (Array.isArray(parent)) return parent.splice(index(parent, key, false), 1)[0];
  if (isMap(parent) && key in parent) {
    const v = parent[key];
    delete parent[key];
    return v;
  }
  throw new RenderError(`Unable to remove nonexistent key: ${key}: missing value`);
}

/** Applies RFC 6902 operations to `doc` in place (add, remove, replace, move, copy, test). */
export function applyJsonPatch(doc: Record<string, unknown>, ops: readonly JsonPatchOp[]): void {
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        add(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        remove(doc, op.path);
        break;
      case 'replace': {
        const { parent, key } = parentOf(doc, op.path);
        if (Array.isArray(parent)) parent[index(parent, key, false)] = structuredClone(op.value);
        else if (isMap(parent)) {
          if (!(key in parent))
            throw new RenderError(
              `replace operation does not apply: doc is missing key: ${op.path}: missing value`,
            );
          parent[key] = structuredClone(op.value);
        }
        break;
      }
      case 'move':
        add(doc, op.path, remove(doc, op.from ?? ''));
        break;
      case 'copy':
        add(doc, op.path, structuredClone(get(doc, op.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value))
          throw new RenderError(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new RenderError(`Unexpected kind: ${op.op}`);
    }
  }
}

/** Reads a JSON 6902 patch (a list of operations) from parsed YAML/JSON. */
export function toJsonPatch(raw: unknown): JsonPatchOp[] {
  if (!Array.isArray(raw)) throw new RenderError('a JSON 6902 patch must be a list of operations');
  return raw.map((x) => {
    if (!isMap(x) || typeof x.op !== 'string' || typeof x.path !== 'string')
      throw new RenderError('a JSON 6902 operation needs op and path');
    return {
      op: x.op,
      path: x.path,
      from: typeof x.from === 'string' ? x.from : undefined,
      value: x.value,
    };
  });
}
