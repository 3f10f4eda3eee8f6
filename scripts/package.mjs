// `npm run package`: a production build, then a .vsix made by @vscode/vsce, then the list of what
// ships, so a stray file in the package is seen at once.
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
run('npx', ['vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', 'everflow-clicks.vsix']);
run('npx', ['vsce', 'ls', '--no-dependencies']);
