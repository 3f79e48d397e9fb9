/**
 * Text from data (column names, categories, file paths) made safe to print on
 * a terminal: C0 and C1 control characters, DEL and the Unicode line and
 * paragraph separators are written as visible escapes (\n, \t, \x1b, \u2028),
 * so data can neither move the cursor, clear the screen or set the window
 * title (ESC and the 8-bit CSI/OSC introducers), nor break a one-line message
 * or a table row into several lines.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`));
}
