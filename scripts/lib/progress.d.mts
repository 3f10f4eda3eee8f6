export interface ProgressEvent {
  event: 'start' | 'pass' | 'fail' | 'skip' | 'end' | 'timeout';
  file?: string;
  name?: string;
  limitMin?: number;
  t?: number;
}
export interface Progress {
  passed: number;
  failed: number;
  skipped: number;
  running: ProgressEvent[];
  timeout?: ProgressEvent;
}
export declare function progressFile(stage: string): string;
export declare function nodeTestReporterArgs(): string[];
export declare function resetProgress(file: string): void;
export declare function appendProgress(file: string, event: ProgressEvent): void;
export declare function readProgress(file: string): Progress | undefined;
export declare function describeProgress(p: Progress | undefined, now?: number): string;
export declare function runningTest(p: Progress | undefined, now?: number): string;
