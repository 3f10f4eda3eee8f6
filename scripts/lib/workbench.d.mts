import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { GroupProcess } from './proc.mjs';

export declare const baseSettings: Record<string, unknown>;
export declare const chromiumArgs: string[];

export interface ExtensionFolder {
  /** Folder name inside the extensions dir (`publisher.name-version`). */
  folderName: string;
  /** The extension's folder (holding its package.json). */
  dir: string;
  /** Copy instead of symlinking. */
  copy?: boolean;
}
export declare function extensionUnderTest(): ExtensionFolder & { id: string; manifest: Record<string, unknown> };

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspaceDir: string;
  remove(): void;
}
export declare function prepareProfile(opts?: {
  label?: string;
  settings?: Record<string, unknown>;
  extensions?: ExtensionFolder[];
  files?: Record<string, string>;
}): Profile;

export interface CodeServer {
  url: string;
  port: number;
  pid: number;
  proc: GroupProcess;
  stop(): Promise<void>;
}
export declare function startCodeServer(opts: { profile: Profile; logFile?: string; timeoutMs?: number; workspaceTrust?: boolean }): Promise<CodeServer>;

export interface OpenWorkbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}
export declare function openWorkbench(opts: {
  url: string;
  folder: string;
  /** A `.code-workspace` file to open instead of `folder` (a multi-root workspace). */
  workspace?: string;
  browserLog?: string;
  viewport?: { width: number; height: number };
  timeoutMs?: number;
}): Promise<OpenWorkbench>;

export declare function startSandbox(opts?: Record<string, unknown>): Promise<unknown>;
export declare function collectVscodeLogs(profile: Profile, dest: string): void;
/** The events that activated extension `id`, one per extension host, in order, from the logs under `logDir`. */
export declare function activationEvents(logDir: string, id: string): string[];
export declare function ensureLogsDir(sub?: string): string;
