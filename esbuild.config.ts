// serverless-esbuild loads this file with a plain require(), so it must stay free of
// TypeScript-only syntax (Node runs an unknown extension as CommonJS).

// Native or ESM-only packages that are loaded at run time from node_modules, never bundled:
// onnxruntime-node and node-llama-cpp ship .node binaries, transformers.js loads them.
const runtimeModules = [
  '@huggingface/transformers',
  'onnxruntime-node',
  'node-llama-cpp',
  'sharp',
  'swagger-ui-dist',
  'echarts',
];

module.exports = () => ({
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  keepNames: true,
  // ESM dependencies bundled into CJS (tinyglobby's fdir) call createRequire(import.meta.url): give them the file's URL.
  banner: { js: "const __bundle_import_meta_url = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundle_import_meta_url' },
  // `exclude` = external for esbuild and not installed into the artefact: at run time the
  // bundle resolves them from the project's own node_modules.
  exclude: ['aws-sdk', ...runtimeModules],
  packagerOptions: { noInstall: true },
});
