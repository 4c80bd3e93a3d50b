import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { positionOfPointer } from '../util/yaml-position.js';
import type { BerthConfig, BerthConfigFile } from './berth-config.js';
import { type CompileInput, compileConfig } from './compile-config.js';
import { ConfigError } from './config-error.js';
import { configValidator } from './config-validator.js';

/** The configuration file read when none is named: `berth.yaml` in the current directory. */
export const DEFAULT_CONFIG_FILE = 'berth.yaml';

let validator: ValidateFunction | undefined;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions extends Omit<CompileInput, 'file' | 'filePath'> {
  /** Configuration file to read. Default: `$BERTH_CONFIG`, else `./berth.yaml` when it exists, else none. */
  path?: string;
}

/**
 * Reads, validates and compiles Berth's configuration. An invalid file throws a
 * {@link ConfigError} whose message lists every problem as `file:line:col: field: what is wrong`.
 */
export function loadConfig(options: LoadConfigOptions = {}): BerthConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.path ?? env.BERTH_CONFIG;
  const filePath =
    explicit ??
    (existsSync(path.join(cwd, DEFAULT_CONFIG_FILE)) ? path.join(cwd, DEFAULT_CONFIG_FILE) : null);
  if (filePath === null) return compileConfig({ ...options, env, cwd, filePath: null });
  const resolved = path.resolve(cwd, filePath);
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read configuration file ${resolved}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      {
        file: resolved,
      },
    );
  }
  const file = parseConfigText(text, resolved);
  try {
    return compileConfig({ ...options, env, cwd, file, filePath: resolved });
  } catch (err) {
    throw options.source ? err : positioned(err, text, resolved);
  }
}

/** A ConfigError naming a place in the file (`data.pointer`) gets its `file:line:col:` prefix. */
function positioned(err: unknown, text: string, name: string): unknown {
  if (!(err instanceof ConfigError) || typeof err.data.pointer !== 'string') return err;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const { line, column } = positionOfPointer(doc, lineCounter, err.data.pointer);
  return new ConfigError(`${name}:${line}:${column}: ${err.message}`, { ...err.data, file: name });
}

/** Parses and schema-validates the text of a configuration file; `name` is used in messages. */
export function parseConfigText(text: string, name: string): BerthConfigFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      return `${name}:${line}:${col}: ${e.message.split('\n')[0]}`;
    });
    throw new ConfigError(`invalid configuration file:\n${lines.join('\n')}`, { file: name });
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  validator ??= configValidator();
  if (validator(value)) return value as BerthConfigFile;
  const lines = (validator.errors ?? []).filter(isReportable).map((e) => {
    const isKeyError = e.keyword === 'additionalProperties';
    const pointer = isKeyError
      ? `${e.instancePath}/${String(e.params.additionalProperty)}`
      : e.instancePath;
    const { line, column } = positionOfPointer(doc, lineCounter, pointer, { key: isKeyError });
    return `${name}:${line}:${column}: ${describe(e)}`;
  });
  throw new ConfigError(`invalid configuration file:\n${lines.join('\n')}`, { file: name });
}

function isReportable(e: ErrorObject): boolean {
  // "must match exactly one schema in oneOf" repeats what its branches already said.
  return e.keyword !== 'oneOf' && e.keyword !== 'if';
}

function describe(e: ErrorObject): string {
  const field = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replace(/\//g, '.');
  switch (e.keyword) {
    case 'additionalProperties':
      return `${field === '(top level)' ? '' : `${field}.`}${String(e.params.additionalProperty)}: unknown field`;
    case 'required':
      return `${field}: missing required field "${String(e.params.missingProperty)}"`;
    case 'enum':
      return `${field}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${field}: must be ${JSON.stringify(e.params.allowedValue)}`;
    case 'type':
      return `${field}: expected ${String(e.params.type)}`;
    case 'pattern':
      return `${field}: does not have the expected form (${String(e.params.pattern)})`;
    default:
      return `${field}: ${e.message ?? e.keyword}`;
  }
}
