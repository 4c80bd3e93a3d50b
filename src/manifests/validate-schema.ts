import type { ErrorObject } from 'ajv';
import { pointer, pointerToPath } from './field-path.js';
import type { SupportedKind } from './kinds.js';
import { kubernetesHasField } from './kubernetes-fields.js';
import { locate, type ManifestObject } from './manifest-object.js';
import type { Problem } from './problem.js';
import { validatorFor } from './schema-registry.js';

/**
 * Validates one object against Berth's schema of its kind and turns every ajv error into a
 * plain-words problem: the field path, what was expected and what was found. A field Berth's
 * schema lacks is "not supported by Berth" when Kubernetes has it, and "not a field of <Type>"
 * when it does not. Null values count as absent (as the API server treats them): `value`
 * defaults to the object's data without them.
 */
export function validateSchema(
  obj: ManifestObject,
  kind: SupportedKind,
  value: unknown = stripNulls(obj.value),
): Problem[] {
  const validate = validatorFor(kind.schema);
  if (validate(value)) return [];
  const secret = obj.kind === 'Secret';
  return (validate.errors ?? []).map((err) => toProblem(obj, err, secret));
}

function toProblem(obj: ManifestObject, err: ErrorObject, secret: boolean): Problem {
  let ptr = err.instancePath;
  let key = false;
  let message: string;
  let code: Problem['code'] = 'schema';
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const segments =
        ptr === ''
          ? []
          : ptr
              .slice(1)
              .split('/')
              .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const has = kubernetesHasField(`${obj.apiVersion} ${obj.kind}`, segments, field);
      ptr += pointer(field);
      key = true;
      if (has === 'no') {
        const type = (err.parentSchema as { title?: string } | undefined)?.title ?? 'this object';
        message = `unknown field: "${field}" is not a field of ${type} (Kubernetes would reject it too)`;
        code = 'unknown-field';
      } else {
        message = 'not supported by Berth';
        code = 'unsupported-field';
      }
      break;
    }
    case 'required':
      ptr += pointer(String(params.missingProperty));
      message = 'required field is missing';
      break;
    case 'type':
      message = `expected ${String(params.type).replace(',', ' or ')}, found ${describe(err.data, secret)}`;
      break;
    case 'enum':
      message = `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}; found ${describe(err.data, secret)}`;
      break;
    case 'const':
      message = `expected ${JSON.stringify(params.allowedValue)}, found ${describe(err.data, secret)}`;
      break;
    case 'format':
      message = `expected ${FORMATS[String(params.format)] ?? String(params.format)}, found ${describe(err.data, secret)}`;
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      message = `expected a number ${params.comparison} ${params.limit}, found ${describe(err.data, secret)}`;
      break;
    default:
      message = `${err.message ?? 'is invalid'}`;
  }
  const at = locate(obj, ptr, key);
  return {
    file: obj.file,
    line: at.line,
    column: at.column,
    severity: 'error',
    kind: obj.kind,
    namespace: obj.namespace,
    name: obj.name,
    path: pointerToPath(ptr),
    message,
    code,
  };
}

const FORMATS: Record<string, string> = {
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  byte: 'base64-encoded data',
  'date-time': 'an RFC 3339 date-time',
};

/** What a value is, for "found ..." (values of a Secret are never shown). */
export function describe(value: unknown, secret = false): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (secret) return `a ${typeof value} (value hidden: Secret)`;
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** A copy without null-valued keys (Kubernetes treats `field: null` as absent); list items stay. */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = stripNulls(v);
  return out;
}
