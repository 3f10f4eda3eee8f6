import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { declaredLanguages, languageNoticeText, languagesToNotice } from '../../../src/hovers/hoverLanguages';

// Languages in `everflow.hover.languages` that no static `onLanguage:` activation event covers get one
// honest message each, remembered across windows; the declared ones and those already told get none.

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

describe('declaredLanguages', () => {
  it('reads the onLanguage ids and nothing else', () => {
    assert.deepEqual(declaredLanguages(['onLanguage:log', 'onCommand:x', 'onLanguage:json', 'onLanguage:log', 'onLanguage:', 7, 'onView:v']), ['log', 'json']);
  });
  it('takes anything that is not a list as no languages', () => {
    assert.deepEqual(declaredLanguages(undefined), []);
    assert.deepEqual(declaredLanguages('onLanguage:log'), []);
  });
  it("covers every language of the setting's default, so the default never needs the message", () => {
    const declared = declaredLanguages(manifest.activationEvents);
    const defaults = manifest.contributes.configuration.properties['everflow.hover.languages'].default as string[];
    assert.ok(defaults.length > 0);
    assert.deepEqual(languagesToNotice(defaults, declared, []), []);
  });
  it('declares no catch-all activation', () => {
    assert.ok(!manifest.activationEvents.includes('*') && !manifest.activationEvents.includes('onStartupFinished'), JSON.stringify(manifest.activationEvents));
  });
});

describe('languagesToNotice', () => {
  const declared = ['log', 'plaintext', 'json'];
  it('names the configured languages outside the declared ones, once each, in the setting order', () => {
    assert.deepEqual(languagesToNotice(['log', 'yaml', 'markdown', 'yaml', 'json'], declared, []), ['yaml', 'markdown']);
  });
  it('skips languages already told about', () => {
    assert.deepEqual(languagesToNotice(['yaml', 'markdown'], declared, ['yaml']), ['markdown']);
    assert.deepEqual(languagesToNotice(['yaml', 'markdown'], declared, ['markdown', 'yaml']), []);
  });
  it('compares ids as VS Code does, case-sensitively', () => {
    assert.deepEqual(languagesToNotice(['LOG', 'log'], declared, []), ['LOG']);
  });
  it('says nothing for the declared languages alone', () => {
    assert.deepEqual(languagesToNotice([...declared], declared, []), []);
  });
});

describe('languageNoticeText', () => {
  it('names the language, says hovers start once the extension is active and how to get there, and why', () => {
    const text = languageNoticeText(['yaml'], ['log', 'plaintext']);
    assert.match(text, /"yaml" documents/);
    assert.match(text, /start once the Everflow extension is active/);
    assert.match(text, /open the Everflow sidebar or run any Everflow command/);
    assert.match(text, /wakes an extension by itself only for the languages it declares, and Everflow declares log, plaintext\.$/);
  });
  it('says what the Output panel language `Log` is', () => {
    assert.match(languageNoticeText(['yaml'], ['log', 'Log']), /declares log, Log \(Output panel channels\)\.$/);
  });
  it('lists several languages', () => {
    assert.match(languageNoticeText(['yaml', 'xml', 'markdown'], ['log']), /"yaml", "xml" and "markdown" documents/);
  });
  it('shows an id from a settings file without control characters and shortened', () => {
    const text = languageNoticeText([`evil\u202e\u0007${'x'.repeat(80)}`], ['log']);
    assert.ok(!text.includes('\u202e') && !text.includes('\u0007'), text);
    assert.match(text, /"evilx+…" documents/);
  });
});
