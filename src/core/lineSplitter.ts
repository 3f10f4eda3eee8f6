// Cuts a stream of text chunks into lines, for reading logs too big to open as a document.
//
// Memory stays bounded by the longest line, and a line is never allowed to grow past `maxLine`
// characters: a minified HAR or a log with no newlines at all would otherwise be held whole. An
// overlong line is cut at the last character before the limit that cannot be inside an id (not a
// letter or digit), so no 32-character token is split between two pieces; the pieces are passed on
// as separate lines, which loses only the structure (a key) that a piece's start would have needed.

/** 4 MiB: far above any real log line, far below what would strain the extension host. */
export const DEFAULT_MAX_LINE = 4 * 1024 * 1024;

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

export class LineSplitter {
  private rest = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLine = DEFAULT_MAX_LINE,
  ) {}

  /** Splits at `\n`, `\r\n` and a lone `\r`. A `\r` at the end of a chunk waits for the next one. */
  push(chunk: string): void {
    let text = this.rest + chunk;
    let from = 0;
    // Where the next \r is, searched again only once passed: most logs have none, and searching the
    // rest of a 1 MiB chunk for one at every line would read the chunk once per line.
    let cr = -2;
    for (;;) {
      const lf = text.indexOf('\n', from);
      if (cr !== -1 && cr < from) cr = text.indexOf('\r', from);
      if (lf === -1 && cr === -1) break;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr === text.length - 1) break; // maybe the first half of \r\n
        this.emit(text.slice(from, cr));
        from = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else {
        this.emit(text.slice(from, lf));
        from = lf + 1;
      }
    }
    text = from === 0 ? text : text.slice(from);
    while (text.length > this.maxLine) {
      const cut = this.cutPoint(text);
      this.onLine(text.slice(0, cut));
      text = text.slice(cut);
    }
    this.rest = text;
  }

  /** Passes on the last line (a file need not end with a newline). */
  end(): void {
    const text = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
    this.rest = '';
    if (text.length > 0) this.emit(text);
  }

  private emit(line: string): void {
    let text = line;
    while (text.length > this.maxLine) {
      const cut = this.cutPoint(text);
      this.onLine(text.slice(0, cut));
      text = text.slice(cut);
    }
    this.onLine(text);
  }

  /** After the last non-word character within the limit, or at the limit when there is none. */
  private cutPoint(text: string): number {
    for (let i = this.maxLine; i > this.maxLine / 2; i--) {
      if (!isWordChar(text.charCodeAt(i - 1))) return i;
    }
    return this.maxLine;
  }
}
