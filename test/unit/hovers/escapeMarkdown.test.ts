import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_VALUE_LENGTH, escapeMarkdown, visibleText } from '../../../src/hovers/escapeMarkdown';
import { LONG_STRING, HOSTILE_SHORT } from '../../sandbox/hostile';

// Escaped values are rendered with a real CommonMark renderer at its most permissive (raw HTML on,
// bare URLs linked), and the HTML that comes out must hold no element but <p>: no link, image,
// script, emphasis or code, whatever the value.

const md = new MarkdownIt({ html: true, linkify: true, typographer: false });

const HOSTILE: [string, string][] = [
  ['script tag', '<script>alert(1)</script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['attribute break-out', '"><svg onload=alert(1)>'],
  ['command link', '[x](command:workbench.action.quit)'],
  ['command link with args', '[go](command:everflow.openClickAsJson?%5B%22x%22%5D)'],
  ['image', '![i](https://evil)'],
  ['reference link', '[x][1]\n\n[1]: command:workbench.action.quit'],
  ['autolink', '<https://evil.example>'],
  ['bare url', 'see https://evil.example/x and www.evil.example'],
  ['email', 'mail me: a@evil.example'],
  ['command uri', 'command:workbench.action.quit'],
  ['javascript uri', 'javascript:alert(1)'],
  ['backticks', '`code` ``more`` ```fence```'],
  ['pipes', 'a | b || c'],
  ['emphasis', '*a* _b_ **c** ~~d~~'],
  ['heading', '# Heading'],
  ['html entity', '&lt;script&gt; &#60;b&#62;'],
  ['backslash', 'C:\\path\\[x](y)'],
  ['newline forging a line', 'ok\n\n[x](command:workbench.action.quit)\n---\n# fake'],
  ['crlf', 'a\r\nb\rc'],
  ['unicode line separator', 'a\u2028b\u2029c'],
  ['theme icon', '$(alert) $(zap)'],
  ['html comment', '<!-- hidden -->'],
  ['list and quote', '- item\n> quote\n1. one'],
];

function rendered(value: string): string {
  return md.render(escapeMarkdown(value, { maxLength: 10_000 }));
}

/** The element names in `html`. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
}

describe('escapeMarkdown', () => {
  for (const [what, value] of [...HOSTILE, ...HOSTILE_SHORT.map((v): [string, string] => [`sandbox ${JSON.stringify(v)}`, v])]) {
    it(`renders ${what} as text only`, () => {
      const html = rendered(value);
      assert.deepEqual([...new Set(tags(html))], ['p'], html);
      assert.doesNotMatch(html, /<[^>]*\s(href|src|on\w+)=/);
      // One paragraph: nothing in a value can start a new block or line of the card.
      assert.equal(html.trim().split('\n').length, 1, html);
    });
  }

  it('shows the value itself, not a mangled one', () => {
    const value = '[x](command:workbench.action.quit) <b>&amp;</b> a|b `c` *d* C:\\dir';
    assert.equal(decode(md.render(escapeMarkdown(value)).trim()), `<p>${value}</p>`);
  });

  it('keeps every ASCII punctuation character behind a backslash', () => {
    const all = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const out = escapeMarkdown(all);
    assert.equal(out, [...all].map((c) => `\\${c}`).join(''));
  });

  it('neutralises line breaks of every kind', () => {
    for (const v of ['a\nb', 'a\r\nb', 'a\rb', 'a\u2028b', 'a\u2029b', 'a\u0085b', 'a\u000bb', 'a\u000cb']) {
      // eslint-disable-next-line no-control-regex -- the control characters under test
      assert.doesNotMatch(escapeMarkdown(v), /[\n\r\u2028\u2029\u0085\u000b\u000c]/, JSON.stringify(v));
      assert.match(visibleText(v), /^a ↵ b$/);
    }
  });

  it('turns other control characters into spaces', () => {
    assert.equal(visibleText('a\tb\u0000c\u001bd\u009be'), 'a b c d e');
  });

  it('makes bidi controls and zero-width characters visible', () => {
    assert.equal(visibleText('invoice\u202Efdp.exe'), 'invoice‹U+202E›fdp.exe');
    assert.equal(visibleText('pay\u200Bpal'), 'pay‹U+200B›pal');
    assert.equal(visibleText('\u2066x\u2069\u200E\uFEFF'), '‹U+2066›x‹U+2069›‹U+200E›‹U+FEFF›');
    for (const ch of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD']) {
      assert.ok(!escapeMarkdown(`a${ch}b`).includes(ch), `U+${ch.codePointAt(0)!.toString(16)}`);
    }
  });

  it('keeps the joiner inside emoji sequences', () => {
    assert.equal(visibleText('👩‍💻'), '👩‍💻');
    assert.equal(visibleText('❤️‍🔥'), '❤️‍🔥');
    assert.equal(visibleText('a\u200Db'), 'a‹U+200D›b');
  });

  it('thins out stacked combining marks', () => {
    const zalgo = `Z${'\u0335\u0322\u0338'.repeat(50)}a`;
    assert.equal(visibleText(zalgo), 'Z\u0335\u0322a');
    assert.equal(visibleText('e\u0301'), 'e\u0301');
  });

  it('cuts long values with an ellipsis, by code point', () => {
    assert.equal(visibleText('x'.repeat(DEFAULT_MAX_VALUE_LENGTH)), 'x'.repeat(DEFAULT_MAX_VALUE_LENGTH));
    assert.equal(visibleText('x'.repeat(DEFAULT_MAX_VALUE_LENGTH + 1)), `${'x'.repeat(DEFAULT_MAX_VALUE_LENGTH)}…`);
    assert.equal(visibleText('🔥'.repeat(10), { maxLength: 3 }), '🔥🔥🔥…');
    assert.equal(visibleText('ab cd', { maxLength: 3 }), 'ab…');
  });

  it('handles a 100 KB value fast, and shows a short line of it', () => {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) escapeMarkdown(LONG_STRING);
    const perCall = (performance.now() - t0) / 1000;
    assert.ok(perCall < 0.5, `${perCall.toFixed(3)} ms per 100 KB value`);
    const out = escapeMarkdown(LONG_STRING);
    assert.ok(out.length < 400, `${out.length} characters`);
    assert.ok(visibleText(LONG_STRING).endsWith('…'));
    const huge = '[x](command:a)'.repeat(10_000);
    assert.deepEqual([...new Set(tags(md.render(escapeMarkdown(huge))))], ['p']);
  });

  it('does not split a surrogate pair where a long value is cut', () => {
    const s = `${'a'.repeat(639)}🔥${'b'.repeat(1000)}`;
    assert.doesNotMatch(visibleText(s, { maxLength: 80 }), /[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('reads non-strings as text', () => {
    assert.equal(escapeMarkdown(undefined), '');
    assert.equal(escapeMarkdown(null), '');
    assert.equal(escapeMarkdown(12.5), '12\\.5');
    assert.equal(escapeMarkdown(true), 'true');
  });
});

function decode(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
