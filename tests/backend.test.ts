import { execFileSync } from 'child_process';
import * as path from 'path';

// Backend selection is process-global, so each case runs in a fresh Node process on the built library.
const ROOT = path.resolve(__dirname, '..');

function run(env: Record<string, string>, code = "require('./dist').useBackend().then((i) => console.log(JSON.stringify(i)))"): { ok: boolean; out: string } {
  try {
    const out = execFileSync(process.execPath, ['-e', `${code}.catch((e) => { console.error(e.message); process.exit(3); })`], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, out };
  } catch (err) {
    const e = err as { stdout: string; stderr: string };
    return { ok: false, out: `${e.stdout}${e.stderr}` };
  }
}

describe('backend selection', () => {
  test('NNFT_BACKEND=cpu forces the cpu backend', () => {
    const r = run({ NNFT_BACKEND: 'cpu' });
    expect(r.ok).toBe(true);
    expect(JSON.parse(r.out.trim().split('\n').pop() as string)).toMatchObject({ name: 'cpu', requested: 'cpu', source: 'NNFT_BACKEND', gpu: false });
  });

  test('NNFT_BACKEND=wasm forces wasm', () => {
    const r = run({ NNFT_BACKEND: 'wasm' });
    expect(JSON.parse(r.out.trim())).toMatchObject({ name: 'wasm', source: 'NNFT_BACKEND' });
  });

  test('auto picks the first backend that loads and says why others were skipped', () => {
    const r = run({ NNFT_BACKEND: '' });
    const info = JSON.parse(r.out.trim());
    let hasGpuPackage = true;
    try {
      require.resolve('@tensorflow/tfjs-node-gpu', { paths: [ROOT] });
    } catch {
      hasGpuPackage = false;
    }
    if (hasGpuPackage) expect(['tensorflow', 'wasm']).toContain(info.name);
    else {
      expect(info.name).toBe('wasm');
      expect(info.skipped[0]).toMatch(/^tensorflow: @tensorflow\/tfjs-node-gpu could not be loaded/);
    }
  });

  test('a requested backend that cannot load is an error saying why and what to install, not a fallback', () => {
    let hasGpuPackage = true;
    try {
      require.resolve('@tensorflow/tfjs-node-gpu', { paths: [ROOT] });
    } catch {
      hasGpuPackage = false;
    }
    const r = run({ NNFT_BACKEND: 'tensorflow' });
    if (hasGpuPackage) return expect(r.ok).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.out).toContain("backend 'tensorflow' was requested (NNFT_BACKEND=tensorflow)");
    expect(r.out).toContain('npm install @tensorflow/tfjs-node-gpu@4.22.0');
    expect(r.out).toContain('environment.md');
  });

  test('an unknown backend name is rejected with the value', () => {
    expect(run({ NNFT_BACKEND: 'metal' }).out).toContain('NNFT_BACKEND must be one of auto, tensorflow, wasm, cpu, got "metal"');
    expect(run({}, "require('./dist').useBackend('webgpu')").out).toContain('useBackend: name must be one of auto, tensorflow, wasm, cpu, got "webgpu"');
  });
});
