/**
 * The scale-out recipe of docs/scale-out.md, run as a batch scheduler would run it: K shard
 * processes of scripts/slurm/shard.sbatch side by side (a job array, SLURM_ARRAY_TASK_ID = 1..K),
 * then scripts/slurm/merge.sbatch. The merged run must be the run of all the networks in one
 * process: the same configuration, network ranges, block counts and tail record, and sums and
 * estimates equal up to float64 rounding of the merge (relative 1e-12).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const NNFT = `node ${path.join(ROOT, 'bin', 'nnft.js')}`;
const FLAGS = ['--arch', 'erf', '--width', '8', '--inputs', '-1;0.5;1', '--order', '6', '--nets', '3001', '--seed', '4'];
const K = 3;

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

/** Every number in two JSON values, side by side (same shapes required). */
function numbers(a: unknown, b: unknown, at = '$'): [string, number, number][] {
  if (typeof a === 'number' && typeof b === 'number') return [[at, a, b]];
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(`${at} length ${b.length}`).toBe(`${at} length ${a.length}`);
    return a.flatMap((x, i) => numbers(x, b[i], `${at}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(b as object).sort()).toEqual(Object.keys(a as object).sort());
    return Object.keys(a as object).flatMap((k) => numbers((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
  }
  expect(b).toEqual(a);
  return [];
}

test('K shard processes of the job-array recipe merge into the run of all networks in one process', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnft-shards-'));
  const env = { ...process.env, NNFT: NNFT, NNFT_SHARD_DIR: dir, SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: String(K) };
  // The array tasks, all at once as a scheduler starts them.
  // (Their stderr holds the heavy-tail warning of G6c at this small size; it is shown only on failure.)
  const shards = await Promise.all(
    Array.from({ length: K }, (_, i) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn('bash', [path.join(ROOT, 'scripts', 'slurm', 'shard.sbatch'), ...FLAGS], { cwd: dir, env: { ...env, SLURM_ARRAY_TASK_ID: String(i + 1) }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (code) => resolve({ code, stderr }));
      }),
    ),
  );
  expect(shards.filter((r) => r.code !== 0)).toEqual([]);
  // A missing shard stops the merge with a message naming it.
  fs.renameSync(path.join(dir, 'shard-2.json'), path.join(dir, 'held-back.json'));
  const refused = spawnSync('bash', [path.join(ROOT, 'scripts', 'slurm', 'merge.sbatch')], { cwd: dir, env: { ...env, NNFT_SHARDS: String(K) }, encoding: 'utf8' });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toMatch(/shard-2\.json is missing \(shard 2 of 3 did not finish\)/);
  fs.renameSync(path.join(dir, 'held-back.json'), path.join(dir, 'shard-2.json'));
  const merge = spawnSync('bash', [path.join(ROOT, 'scripts', 'slurm', 'merge.sbatch')], { cwd: dir, env: { ...env, NNFT_SHARDS: String(K) }, encoding: 'utf8' });
  expect(merge.stderr).toBe('');
  expect(merge.status).toBe(0);

  const single = spawnSync('bash', ['-c', `${NNFT} correlators ${FLAGS.map((f) => `'${f}'`).join(' ')} --save ${dir}/one.json --json`], { cwd: dir, encoding: 'utf8' });
  expect(single.status).toBe(0);
  const one = JSON.parse(fs.readFileSync(path.join(dir, 'one.json'), 'utf8'));
  const merged = JSON.parse(fs.readFileSync(path.join(dir, 'merged.json'), 'utf8'));
  expect(merged.config).toEqual(one.config);
  expect(merged.ranges).toEqual([[0, 3001]]);
  expect(merged.ranges).toEqual(one.ranges);
  expect(merged.accumulator.blockCounts).toEqual(one.accumulator.blockCounts);
  expect(merged.accumulator.tails).toEqual(one.accumulator.tails);
  // Sums with their compensations, and every printed estimate and error bar.
  const total = (acc: { sums: Record<string, number[]>; comp: Record<string, number[]> }) => Object.fromEntries(Object.keys(acc.sums).map((n) => [n, acc.sums[n].map((s, k) => s + acc.comp[n][k])]));
  const sums = numbers(total(one.accumulator), total(merged.accumulator));
  expect(sums.length).toBe(32 * (6 + 15 + 28));
  expect(sums.filter(([, a, b]) => !close(a, b))).toEqual([]);
  const printed = JSON.parse(fs.readFileSync(path.join(dir, 'merged.out.json'), 'utf8'));
  const direct = JSON.parse(single.stdout);
  expect(printed.nets).toBe(3001);
  const estimates = numbers({ G2: direct.G2, G4c: direct.G4c, G6c: direct.G6c, stderr: direct.stderr }, { G2: printed.G2, G4c: printed.G4c, G6c: printed.G6c, stderr: printed.stderr });
  expect(estimates.length).toBe(2 * (9 + 81 + 729));
  expect(estimates.filter(([, a, b]) => !close(a, b))).toEqual([]);
  expect(printed.diagnostics).toEqual(direct.diagnostics);
  fs.rmSync(dir, { recursive: true, force: true });
}, 120000);
