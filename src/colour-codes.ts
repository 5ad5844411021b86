// Colour codes in terminal text: they take no columns, so widths are measured without them.

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every colour code; matching it is the point.
const COLOUR_CODE = /\x1b\[[0-9;]*m/g;

/** The text without its colour codes. */
export function withoutColour(text: string): string {
  return text.replace(COLOUR_CODE, '');
}

/** The columns a text takes in a terminal: colour codes take none. */
export function visibleWidth(text: string): number {
  return withoutColour(text).length;
}
