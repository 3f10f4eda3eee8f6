// The architecture's zones, checked by dependency-cruiser in `npm test`'s lint stage (`npm run lint`):
//   src/core   the Everflow client, parsing, validation, time, exports: plain TypeScript that runs anywhere,
//              so it must not reach `vscode`, Node's built-ins or the extension host (the DOM is kept out
//              by src/core/tsconfig.json, which has no DOM lib)
//   webview/   the browser side: only itself, src/core and the message protocols (src/protocol/)
//   src/       the extension host
// and no import cycle anywhere (type-only imports count: a cycle of types is a knot all the same).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Modules import each other in a circle; untie it with a narrow interface or a shared lower module.',
      severity: 'error',
      from: { path: '^(src|webview)/' },
      to: { circular: true },
    },
    {
      name: 'core-no-vscode',
      comment: 'src/core runs outside VS Code (plain Node tests, the webview): no vscode import.',
      severity: 'error',
      from: { path: '^src/core/' },
      // `vscode` resolves to its types package (there is no runtime module to find).
      to: { path: '^vscode$|node_modules/@types/vscode/' },
    },
    {
      name: 'core-no-node-builtins',
      comment: "src/core must not use Node's built-in modules (fs, path, zlib …): it also runs in the webview.",
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-stays-core',
      comment: 'src/core must not reach the extension host (src/ outside core) or the webview.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(src/(?!core/)|webview/)' },
    },
    {
      name: 'webview-no-vscode',
      comment: 'The webview runs in a browser frame: it cannot import vscode.',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^vscode$|node_modules/@types/vscode/' },
    },
    {
      name: 'webview-no-node-builtins',
      comment: "The webview runs in a browser frame: no Node built-in modules.",
      severity: 'error',
      from: { path: '^webview/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'webview-only-core-and-protocol',
      comment: 'The webview may use src/core and the message protocols (src/protocol/), nothing else of the host.',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^src/(?!core/|protocol/)' },
    },
    {
      name: 'protocol-no-vscode',
      comment: 'The protocols are imported by the webview too: types and pure guards, no vscode.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { path: '^vscode$|node_modules/@types/vscode/' },
    },
    {
      name: 'not-to-tests',
      comment: 'Shipped code must not import test code.',
      severity: 'error',
      from: { path: '^(src|webview)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (they make cycles that force two-phase construction).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
