/**
 * Text that reaches root's terminal must not be able to drive it. Zone data is anyone's: a TXT record
 * can hold ESC sequences (clear the screen, retitle the window, rewrite the line that asks "Apply?"),
 * 8-bit C1 controls (U+009B is a one-character CSI for terminals that honour C1) and bidirectional
 * overrides that make text read differently than it is. They are shown as escapes instead:
 * C0 controls and DEL as `\xNN`, C1 controls and bidi controls as `\uNNNN`.
 *
 * `\uNNNN` inside a JSON string is JSON's own escape for the same character, so passing JSON output
 * through `terminalSafe` keeps it valid and lossless (JSON.stringify already escapes C0 itself).
 */

/** Every character a terminal could act on, line breaks and tabs included. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, except the tab, the line feed and a carriage return that ends a line (CSV's CRLF). */
const CONTROLS_IN_OUTPUT = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A value shown on one line (a record's name or data): every control character escaped. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeOne);
}

/** Whole output: line structure kept (LF, CRLF, tab), every other control character escaped. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROLS_IN_OUTPUT, escapeOne);
}

/** A writer that passes everything through `terminalSafe` (the CLI's stdout). */
export function terminalSafeWriter<W extends { write(text: string): unknown; isTTY?: boolean }>(
  stream: W,
): { write(text: string): unknown; isTTY?: boolean } {
  return {
    write: (text: string) => stream.write(terminalSafe(text)),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
  };
}
