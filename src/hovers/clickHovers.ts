import * as vscode from 'vscode';
import * as config from '../config';

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

/**
 * Owns the hover registration and redoes it when the languages, patterns or on/off setting change. Every
 * configured language gets hovers in every window: the extension activates once the window has started
 * (`onStartupFinished`), and at once for log documents (package.json).
 */
export class ClickHovers implements vscode.Disposable {
  private registration: vscode.Disposable | undefined;
  private readonly settings: vscode.Disposable;

  constructor(private readonly provider: vscode.HoverProvider) {
    this.register();
    this.settings = config.onDidChange(config.HOVER_SELECTOR_KEYS, () => this.register());
  }

  private register(): void {
    this.registration?.dispose();
    this.registration = config.hoverEnabled() ? vscode.languages.registerHoverProvider(hoverSelector(), this.provider) : undefined;
  }

  dispose(): void {
    this.settings.dispose();
    this.registration?.dispose();
  }
}
