/**
 * The layering of src/ (.dependency-cruiser.js): no import cycles, and no folder imports a layer
 * above or beside it. Checked with dependency-cruiser on the real tree, and on a small tree with a
 * cycle and an upward import to show that the check can fail.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const CRUISER = path.join(ROOT, 'node_modules', '.bin', 'depcruise');

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(CRUISER, ['src', '--config', path.join(ROOT, '.dependency-cruiser.js'), '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('src/ has no import cycles and respects its layers', () => {
  const r = cruise(ROOT);
  expect(r.out).toMatch(/no dependency violations found/);
  expect(r.status).toBe(0);
}, 60_000);

test('a cycle and an upward import are both reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-layers-'));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['src'] }));
    write('src/core/a.ts', "import { b } from './b';\nexport const a = () => b();\n");
    write('src/core/b.ts', "export function b(): number {\n  return (require('./a') as { a: () => number }).a();\n}\n");
    write('src/nets/net.ts', "import { run } from '../lab/run';\nexport const net = run;\n");
    write('src/lab/run.ts', 'export const run = 1;\n');
    const r = cruise(dir);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no-circular/);
    expect(r.out).toMatch(/layer-nets: src\/nets\/net\.ts → src\/lab\/run\.ts/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
