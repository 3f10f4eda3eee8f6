// The little of markdown-it the tests use (a CommonMark renderer to check that escaped hover text
// renders as text). The package ships no types of its own.
declare module 'markdown-it' {
  interface MarkdownItOptions {
    html?: boolean;
    linkify?: boolean;
    typographer?: boolean;
  }
  class MarkdownIt {
    constructor(options?: MarkdownItOptions);
    render(src: string): string;
  }
  export = MarkdownIt;
}
