import * as vscode from 'vscode';
import { defuseLinks } from './core/plainText';

// Every notification the extension shows goes through here. Toast messages render `[label](command:…)`
// and `[label](https://…)` as live links, and messages carry text from outside: server errors, saved
// query names from a team's file, parser messages quoting a file. Defusing in one place means no call
// site can forget (the lint config forbids calling vscode.window.show*Message directly).

type Items<T> = [options: vscode.MessageOptions, ...items: T[]] | T[];

export function showInfo<T extends string>(message: string, ...items: Items<T>): Thenable<T | undefined> {
  return (vscode.window.showInformationMessage as (m: string, ...r: unknown[]) => Thenable<T | undefined>)(defuseLinks(message), ...defuseDetail(items));
}

export function showWarning<T extends string>(message: string, ...items: Items<T>): Thenable<T | undefined> {
  return (vscode.window.showWarningMessage as (m: string, ...r: unknown[]) => Thenable<T | undefined>)(defuseLinks(message), ...defuseDetail(items));
}

export function showError<T extends string>(message: string, ...items: Items<T>): Thenable<T | undefined> {
  return (vscode.window.showErrorMessage as (m: string, ...r: unknown[]) => Thenable<T | undefined>)(defuseLinks(message), ...defuseDetail(items));
}

function defuseDetail(items: unknown[]): unknown[] {
  return items.map((item) =>
    item && typeof item === 'object' && typeof (item as vscode.MessageOptions).detail === 'string'
      ? { ...(item as vscode.MessageOptions), detail: defuseLinks((item as vscode.MessageOptions).detail as string) }
      : item,
  );
}
