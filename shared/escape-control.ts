/**
 * Makes text from files safe to print: control characters (which could clear a terminal,
 * move its cursor or set its title) and bidirectional overrides become visible escapes.
 * Line breaks and tabs are kept unless `keepLines` is false.
 */
export function escapeControl(text: string, keepLines = true): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (keepLines && (c === '\n' || c === '\t')) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
