import * as vscode from 'vscode';
import * as config from '../config';
import { showInfo } from '../notifications';
import { NOTICED_LANGUAGES_KEY, declaredLanguages, languageNoticeText, languagesToNotice } from './hoverLanguages';

// The hover's registration, kept apart from what the hover does (clickHoverProvider.ts): activation
// registers the hover with a stand-in provider, and the look-ups, cards and the client behind them
// load with the first hover.

/** Which documents get the hover: the configured languages and file patterns, and the Output panel. */
export function hoverSelector(): vscode.DocumentFilter[] {
  return [
    ...config.hoverLanguages().map((language) => ({ language })),
    ...config.hoverFilePatterns().map((pattern) => ({ pattern })),
    // Output channels are documents of the `output` scheme; VS Code offers them hovers too.
    { scheme: 'output' },
  ];
}

/** What ClickHovers needs of the extension context to tell the user about undeclared hover languages. */
export type HoverContext = Pick<vscode.ExtensionContext, 'globalState' | 'extension'>;

/** Where ClickHovers writes what it decided about hover languages (the extension's log). */
export type HoverLog = (message: string) => void;

/**
 * Owns the hover registration and redoes it when the languages, patterns or on/off setting change.
 * Given the extension context, it also tells the user, once per language, when the languages setting
 * names one that does not wake the extension by itself (activation events are static).
 */
export class ClickHovers implements vscode.Disposable {
  private registration: vscode.Disposable | undefined;
  private readonly settings: vscode.Disposable;
  /** Languages told about in this window (globalState keeps them across windows). */
  private readonly noticed = new Set<string>();

  constructor(
    private readonly provider: vscode.HoverProvider,
    private readonly context?: HoverContext,
    private readonly log?: HoverLog,
  ) {
    this.register();
    this.settings = config.onDidChange(config.HOVER_SELECTOR_KEYS, () => this.register());
  }

  private register(): void {
    this.registration?.dispose();
    this.registration = config.hoverEnabled() ? vscode.languages.registerHoverProvider(hoverSelector(), this.provider) : undefined;
    if (this.registration) void this.noticeUndeclaredLanguages();
  }

  /** One honest info message for configured languages no `onLanguage:` activation event covers. */
  private async noticeUndeclaredLanguages(): Promise<void> {
    if (!this.context) return;
    const declared = declaredLanguages(this.context.extension.packageJSON?.activationEvents);
    const stored = this.context.globalState.get<unknown>(NOTICED_LANGUAGES_KEY);
    const already = Array.isArray(stored) ? stored.filter((v): v is string => typeof v === 'string') : [];
    const configured = config.hoverLanguages();
    const fresh = languagesToNotice(configured, declared, [...already, ...this.noticed]);
    const undeclared = languagesToNotice(configured, declared, []);
    if (fresh.length === 0) {
      if (undeclared.length) this.log?.(`Hover languages VS Code does not wake the extension for: ${undeclared.join(', ')} (the user was told before)`);
      return;
    }
    this.log?.(`Hover languages VS Code does not wake the extension for: ${undeclared.join(', ')} (telling the user about ${fresh.join(', ')})`);
    // Marked at once, so a quick second settings change does not repeat the message.
    for (const id of fresh) this.noticed.add(id);
    await this.context.globalState.update(NOTICED_LANGUAGES_KEY, [...new Set([...already, ...this.noticed])]);
    void showInfo(languageNoticeText(fresh, declared));
  }

  dispose(): void {
    this.settings.dispose();
    this.registration?.dispose();
  }
}
