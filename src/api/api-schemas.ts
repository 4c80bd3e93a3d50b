/** JSON Schemas shared by the routes (and the OpenAPI document). */

/** Every refusal: `{"error": {"code", "message"}}`. */
export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

/** A source name, as berth.yaml allows it. */
export const SOURCE_PARAMS = {
  type: 'object',
  properties: { source: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } },
  required: ['source'],
} as const;

/** A kubectl-shaped object: apiVersion, kind, metadata, anything else. */
export const OBJECT_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', additionalProperties: true },
  },
  required: ['apiVersion', 'kind', 'metadata'],
  additionalProperties: true,
} as const;

/** kubectl's List: `{"apiVersion": "v1", "kind": "List", "items": [...]}`. */
export const LIST_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: { const: 'v1' },
    kind: { const: 'List' },
    metadata: { type: 'object', additionalProperties: true },
    items: { type: 'array', items: OBJECT_SCHEMA },
  },
  required: ['apiVersion', 'kind', 'items'],
} as const;
