// Command ids are written once in code (src/host/commandIds.ts) and once in package.json. This checks the
// two against each other in both directions: every declared command is in the table and every table
// entry is declared; every command that a menu, a keybinding, a welcome view or a walkthrough names is
// in the table; and no file in src/ spells a command id out instead of using the table.
// (The integration suite also checks that each one is registered in a running extension host.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CommandIds } from '../../src/host/commandIds';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string; submenu?: string }[]>;
    keybindings?: { command: string }[];
    viewsWelcome?: { contents: string }[];
    walkthroughs?: { steps: { description?: string; completionEvents?: string[] }[] }[];
  };
};
const table = new Set<string>(Object.values(CommandIds));
const ours = (id: string): boolean => id.startsWith('everflow.');

/** `command:everflow.x` links in markdown text (welcome views, walkthrough steps). */
function linkedCommands(text: string): string[] {
  return [...text.matchAll(/command:(everflow\.[\w.]+)/g)].map((m) => m[1]);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('command ids: src/host/commandIds.ts and package.json', () => {
  const declared = manifest.contributes.commands.map((c) => c.command);

  test('every declared command is in the table, and every table entry is declared', () => {
    assert.deepEqual(declared.filter((id) => !table.has(id)), [], 'declared in package.json, missing from CommandIds');
    assert.deepEqual([...table].filter((id) => !declared.includes(id)), [], 'in CommandIds, not declared in package.json');
    assert.equal(new Set(declared).size, declared.length, 'a command is declared twice');
  });

  test('menus, keybindings, welcome views and walkthroughs name only commands of the table', () => {
    const c = manifest.contributes;
    const named = [
      ...Object.values(c.menus).flatMap((items) => items.map((i) => i.command).filter((x): x is string => typeof x === 'string')),
      ...(c.keybindings ?? []).map((k) => k.command),
      ...(c.viewsWelcome ?? []).flatMap((v) => linkedCommands(v.contents)),
      ...(c.walkthroughs ?? []).flatMap((w) =>
        w.steps.flatMap((s) => [...linkedCommands(s.description ?? ''), ...(s.completionEvents ?? []).map((e) => e.replace(/^onCommand:/, ''))]),
      ),
    ].filter(ours);
    assert.ok(named.length > 10, `only ${named.length} command references found in package.json`);
    assert.deepEqual([...new Set(named.filter((id) => !table.has(id)))], []);
  });

  test('code names commands through the table, never as a string of its own', () => {
    const spelled: string[] = [];
    for (const file of filesUnder(path.join(root, 'src'))) {
      if (file.endsWith(path.join('host', 'commandIds.ts'))) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/['"`](everflow\.[\w.]+)['"`]/g)) if (table.has(m[1])) spelled.push(`${path.relative(root, file)}: ${m[1]}`);
    }
    assert.deepEqual(spelled, []);
  });
});
