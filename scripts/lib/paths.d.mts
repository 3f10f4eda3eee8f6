export declare const repoRoot: string;
export declare const testhostDir: string;
export declare const outTestDir: string;
export declare const resultsDir: string;
export declare const logsDir: string;
export declare const screenshotsDir: string;
export declare const chromiumPath: string;
export declare const integrationResultsFile: string;
