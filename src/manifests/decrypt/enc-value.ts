/** One `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value, base64 fields decoded. */
export interface EncValue {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  /** `str`, `int`, `float`, `bool`, `bytes`, `time` or `comment`. */
  type: string;
}

// sops's own pattern (aes/cipher.go): anchored at the start only, greedy fields.
const ENC = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/s;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True when a string has the shape of a sops encrypted value (its fields are not checked). */
export function looksEncrypted(value: string): boolean {
  return value.startsWith('ENC[AES256_GCM,');
}

/**
 * Parses a sops encrypted value. Returns a reason string when it does not match sops's data
 * format or a field is not standard padded base64 (Go's `base64.StdEncoding`, which skips
 * line breaks).
 */
export function parseEncValue(value: string): EncValue | string {
  const m = ENC.exec(value);
  if (!m)
    return "the value does not match sops' data format ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]";
  const fields: Buffer[] = [];
  for (const [name, b64] of [
    ['data', m[1]],
    ['iv', m[2]],
    ['tag', m[3]],
  ] as const) {
    const clean = (b64 as string).replace(/[\r\n]/g, '');
    if (!BASE64.test(clean)) return `the ${name} field of the encrypted value is not base64`;
    fields.push(Buffer.from(clean, 'base64'));
  }
  const [data, iv, tag] = fields as [Buffer, Buffer, Buffer];
  return { data, iv, tag, type: m[4] as string };
}
