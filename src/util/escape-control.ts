/** C0 and C1 control characters (tab kept), DEL, and the bidirectional overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a repository made safe for a terminal: control characters (escape sequences,
 * carriage returns, newlines inside a value, bidi overrides) become visible `\xNN`/`\uNNNN`
 * escapes, so a manifest cannot rewrite the screen or forge lines of output.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
