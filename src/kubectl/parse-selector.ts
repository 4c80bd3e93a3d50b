import { ConfigError } from '../config/config-error.js';
import type { LabelSelector } from '../manifests/generated/k8s-objects.js';

/**
 * A `-l` label selector as kubectl reads it: requirements separated by commas, each
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key` (exists) or
 * `!key` (does not exist). A malformed one is a ConfigError (exit 2).
 */
export function parseSelector(text: string): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  for (const part of splitRequirements(text)) {
    const req = part.trim();
    const equality = /^([\w./-]+)\s*(==?|!=)\s*([\w.-]*)$/.exec(req);
    const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    const exists = /^(!?)([\w./-]+)$/.exec(req);
    if (equality) {
      const [, key, op, value] = equality as unknown as [string, string, string, string];
      if (op === '!=') matchExpressions.push({ key, operator: 'NotIn', values: [value] });
      else matchLabels[key] = value;
    } else if (set) {
      const [, key, op, list] = set as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim());
      matchExpressions.push({ key, operator: op === 'in' ? 'In' : 'NotIn', values });
    } else if (exists) {
      const [, not, key] = exists as unknown as [string, string, string];
      matchExpressions.push({ key, operator: not ? 'DoesNotExist' : 'Exists' });
    } else {
      throw new ConfigError(`unable to parse requirement "${req}" of the selector "${text}"`);
    }
  }
  return { matchLabels, matchExpressions };
}

/** The selector as kubectl prints it: `app=web,tier notin (db)`; `<none>` when empty. */
export function formatSelector(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator.toLowerCase()} (${(e.values ?? []).join(',')})`);
  }
  return parts.length > 0 ? parts.join(',') : '<none>';
}

function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}
