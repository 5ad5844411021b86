// An exercise's task, as `swarmlab exercise show` prints it for a terminal (hard-wrapped near 90
// columns), made readable in the page's narrower panel. Pure: the page turns the lines into
// elements. What it does to the text:
// - prose wrapped over several lines becomes one line again (the panel wraps it to its width),
//   as does a list item's hanging continuation;
// - an indented line that is not a list item (a command to type, a table) stays as it is, in
//   monospace;
// - a `command` in backticks becomes code;
// - the terminal's last line ("Start: swarmlab exercise start ID    Check: ...") goes: the page
//   has buttons for both.

export interface TextPiece {
  text: string;
  code: boolean;
}

export interface TaskLine {
  /** `item`: a list item ("1. ", "- "), its marker in `text`, its wrapped lines hanging after it. */
  kind: 'prose' | 'item' | 'code' | 'blank';
  /** Without its leading spaces (a code line keeps the spaces inside it: tables line up). */
  text: string;
  /** The column the line starts at: a list item's own indent; inside an item, the item's text column. */
  indent: number;
  /** An item's marker width, for the hanging indent of its wrapped lines. */
  hang?: number;
}

const LIST_ITEM = /^\s*(?:[-*]|\d+[.)])\s+/;
/** "Lab: 1 manager", "Images: ...", "Checks:": a field of its own, never joined to the line above. */
const FIELD = /^[A-Z][A-Za-z ]{0,24}:(\s|$)/;
const CLI_FOOTER = /^Start: swarmlab exercise start \S+\s+Check: swarmlab exercise check \S+$/;

export function taskLines(text: string): TaskLine[] {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (CLI_FOOTER.test(lines.at(-1)?.trim() ?? '')) lines.pop();
  const out: TaskLine[] = [];
  /** The column a list item's text starts at, while in one; a line indented so continues it. */
  let hang = 0;
  for (const raw of lines) {
    const line = raw.trimEnd();
    const indent = line.length - line.trimStart().length;
    const previous = out.at(-1);
    const marker = LIST_ITEM.exec(line);
    if (line === '') {
      if (previous && previous.kind !== 'blank') out.push({ kind: 'blank', text: '', indent: 0 });
      hang = 0;
    } else if (marker) {
      hang = marker[0].length;
      out.push({ kind: 'item', text: line.trimStart(), indent, hang: hang - indent });
    } else if (indent !== hang && indent >= 2) {
      out.push({ kind: 'code', text: line.trimStart(), indent: hang });
    } else if (
      indent === hang &&
      (previous?.kind === 'prose' || previous?.kind === 'item') &&
      out.length > 1 &&
      !previous.text.endsWith(':') &&
      !(indent === 0 && FIELD.test(line))
    ) {
      previous.text += ` ${line.trimStart()}`;
    } else {
      out.push({ kind: 'prose', text: line.trimStart(), indent: indent === hang ? hang : 0 });
    }
  }
  while (out.at(-1)?.kind === 'blank') out.pop();
  return out;
}

/** The text cut at its backtick pairs; a lone backtick (or one across lines) stays as it is. */
export function taskPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(/`([^`\n]+)`/g)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index), code: false });
    pieces.push({ text: match[1]!, code: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), code: false });
  return pieces;
}
