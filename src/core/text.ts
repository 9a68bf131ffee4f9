// Text from outside (a name, a reason, a rule's label, a file's name) as Tally shows it in a file, a
// chart or a message: whatever it holds, it cannot break the file or turn the text around it.

/** Bidirectional controls: each reorders or isolates the text after it (a name that turns a post around). */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * What XML 1.0 forbids and no reader expects in text: C0 controls but tab and line feed, DEL, C1
 * controls, U+FFFE/U+FFFF and halves of a surrogate pair standing alone.
 */
const UNSHOWABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any string as text safe to show: line breaks as \n, tabs kept, controls and bidi marks gone. */
export function shownText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(UNSHOWABLE, '')
    .replace(BIDI_CONTROLS, '');
}

/** Any string as one line safe to show (a name in a chart or a ranking): its breaks and tabs as spaces. */
export function shownLine(text: string): string {
  return shownText(text)
    .replace(/[\t\n]+/g, ' ')
    .trim();
}
