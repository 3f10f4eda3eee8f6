export interface LockHolder {
  file: string;
  pid: number;
  command: string;
}
export declare const APT_LOCK_FILES: string[];
export declare function aptLockHolders(files?: string[], procLocks?: string): LockHolder[];
export declare function waitForAptLocks(opts?: { log: (m: string) => void; timeoutMs?: number; pollMs?: number; files?: string[]; procLocks?: string }): Promise<void>;
