import type { ChildProcess } from 'node:child_process';

export interface GroupProcess {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>;
  stop(): Promise<void>;
  killSync(): void;
  readonly exited: boolean;
}
export declare function freePort(): Promise<number>;
export declare function spawnGroup(
  cmd: string,
  args: string[],
  opts?: { logFile?: string; env?: NodeJS.ProcessEnv; cwd?: string; graceMs?: number },
): GroupProcess;
export declare function waitForHttp(url: string, opts?: { timeoutMs?: number; proc?: GroupProcess; what?: string }): Promise<void>;
export declare function onCleanup(fn: () => unknown, syncFn?: () => void): () => void;
export declare function runCleanups(): Promise<void>;
export declare function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T>;
export declare function tail(file: string, maxLines?: number): string;
export declare function trackGroup(pgid: number | undefined, what: string): void;
export declare function untrackGroup(pgid: number | undefined): void;
export declare function pidDirEnv(dir: string): Record<string, string>;
export declare function killTrackedGroups(dir: string): string[];
export declare function trackDir(dirPath: string): void;
export declare function untrackDir(dirPath: string): void;
