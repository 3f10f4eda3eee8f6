import * as vscode from 'vscode';
import type { RequestLogEntry } from './core/types';

// One log channel, the "Everflow" output channel. The user picks the level with "Developer: Set Log Level".
// Nothing here receives a key or request headers; `redact` is a second line of defence for
// free-form messages that could echo one back (a server message, say).

export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor(name = 'Everflow') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Registers a value that must never be written to the log (the keys this window knows). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 8) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[redacted]');
    return out;
  }

  info(message: string): void {
    this.channel.info(this.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redact(message));
  }

  error(message: string): void {
    this.channel.error(this.redact(message));
  }

  debug(message: string): void {
    this.channel.debug(this.redact(message));
  }

  /** One line per request attempt: method, path, status, duration, rows. */
  request(e: RequestLogEntry): void {
    const parts = [`${e.method} ${e.path}`, e.status !== undefined ? String(e.status) : '—', `${Math.round(e.durationMs)} ms`];
    if (e.rows !== undefined) parts.push(`${e.rows} rows`);
    if (e.attempt > 1) parts.push(`attempt ${e.attempt}`);
    if (e.reason) parts.push(`${e.reason}${e.message ? `: ${e.message}` : ''}`);
    const line = parts.join(' · ');
    if (e.reason) this.warn(line);
    else this.info(line);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
