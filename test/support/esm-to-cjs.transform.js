// NestJS 12 ships as ES modules and Jest's CommonJS runtime cannot require them on Node 20.
// This transformer compiles those packages to CommonJS for the tests only (the service itself
// runs them natively). `import.meta.url` has no CommonJS form, so it becomes the file's URL.
const ts = require('typescript');
const { createHash } = require('node:crypto');

module.exports = {
  getCacheKey(source, path) {
    return createHash('sha1').update('esm-to-cjs-2').update(path).update(source).digest('hex');
  },
  process(source, path) {
    const patched = source
      // CommonJS already has a `require`; an ES module makes its own from its URL.
      .replace(/^const require = createRequire\(import\.meta\.url\);?$/m, '')
      .replace(/import\.meta\.url/g, 'require("node:url").pathToFileURL(__filename).href')
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename');
    const out = ts.transpileModule(patched, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};
