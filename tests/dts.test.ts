import * as path from 'path';

// tslab type-checks notebook cells with its own TypeScript 5.0.4 (module ESNext, node10 resolution,
// lib es2022 on this Node). The built declarations must compile there, precisely typed.
const ROOT = path.resolve(__dirname, '..');

test('dist/*.d.ts compile under tslab\'s TypeScript 5.0.4', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [path.join(ROOT, 'node_modules', 'tslab')] }));
  expect(ts.version).toBe('5.0.4');
  const file = path.join(__dirname, 'fixtures', 'consumer.ts');
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    esModuleInterop: true,
    strict: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', 'tslab', 'node_modules', '@types'), path.join(ROOT, 'node_modules', '@types')],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d: { file?: { fileName: string } }) => !d.file || !d.file.fileName.includes('node_modules'));
  const text = diagnostics.map((d: { file?: { fileName: string }; messageText: unknown }) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(text).toEqual([]);
  // The consumer really reached the declarations.
  expect(program.getSourceFiles().some((f: { fileName: string }) => f.fileName.endsWith(path.join('dist', 'index.d.ts')))).toBe(true);
});
