import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A conformance fixture (a YAML file beside the test), parsed. */
export function conformanceFixture<T>(relative: string): T {
  return parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as T;
}
