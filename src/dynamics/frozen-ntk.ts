/**
 * The exactly solvable model of wide-network training and its Bayesian counterpart, in float64
 * linear algebra (ml-matrix: symmetric eigendecomposition and Cholesky).
 *
 * Frozen-NTK gradient flow on the MSE loss (TASI eqs. (95)-(99)), with n = |D| training points,
 * Theta = Theta(X, X) and Theta_x = Theta(x, X):
 *   phi_t(x)  = phi_0(x) + Theta_x Theta^-1 (1 - exp(-eta Theta t / n)) (y - phi_0(X))          (96)
 *   phi_inf(x) = phi_0(x) + Theta_x Theta^-1 (y - phi_0(X))                                    (97)
 *   mu_inf(x)  = Theta_x Theta^-1 y   (ensemble mean when <phi_0> = 0)                         (99)
 * The 1/n sits in the exponent: eq. (96) as printed in the lectures has it in front, which would
 * not solve eq. (95) and would not tend to eq. (97). With `discrete: true` the factor
 * exp(-eta Theta t / n) becomes (1 - eta Theta / n)^t, the exact solution for gradient descent
 * with step eta on the linearised model.
 * Over initialisations phi_0 ~ GP(0, K) the trajectory is Gaussian; its covariance is
 *   Cov_t = K_xx' - A_x K_Xx' - K_xX A_x'^T + A_x K_XX A_x'^T,  A_x = Theta_x Theta^-1 (1 - exp(...)).
 * GP posterior (Bayesian inference with the NNGP kernel K and noise variance s^2):
 *   mean = K_xX (K_XX + s^2)^-1 y,   cov = K_xx' - K_xX (K_XX + s^2)^-1 K_Xx'.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkNonNegativeNumber, fail } from '../core/validate';

type Mat = readonly (readonly number[])[];

function checkMatrix(fn: string, arg: string, m: unknown, rows: number, cols: number): Matrix {
  if (!Array.isArray(m) || m.length !== rows || m.some((r) => !Array.isArray(r) || r.length !== cols || r.some((v: unknown) => typeof v !== 'number' || !Number.isFinite(v)))) {
    fail(fn, arg, `a ${rows} x ${cols} array of finite numbers`, Array.isArray(m) ? `${m.length} rows` : m);
  }
  return new Matrix(m as number[][]);
}

/** The kernels a frozen-NTK / GP computation needs, on n training and m test points. */
export interface KernelBlocks {
  /** n x n on the training points. */
  trainTrain: Mat;
  /** m x n between test and training points. */
  testTrain: Mat;
  /** m x m on the test points (only for covariances). */
  testTest?: Mat;
}

/** Symmetric eigendecomposition Theta = V diag(lambda) V^T, checked positive definite. */
function eigenSymmetric(fn: string, theta: Matrix): { values: number[]; V: Matrix } {
  const eig = new EigenvalueDecomposition(theta, { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const top = Math.max(...values.map(Math.abs));
  if (values.some((v) => !(v > 1e-13 * top))) fail(fn, 'ntk.trainTrain', 'positive definite (distinct training inputs)', `eigenvalues down to ${Math.min(...values)}`);
  return { values, V: eig.eigenvectorMatrix };
}

/**
 * The NTK blocks decomposed once: the returned function maps g to Theta_x Theta^-1 g(Theta) as an m x n matrix, g
 * applied to the eigenvalues (one eigendecomposition serves every time).
 */
function spectralWeights(fn: string, ntk: KernelBlocks): (g: (lambda: number) => number) => Matrix {
  const n = ntk.trainTrain.length;
  const m = ntk.testTrain.length;
  const theta = checkMatrix(fn, 'ntk.trainTrain', ntk.trainTrain, n, n);
  const thetaX = checkMatrix(fn, 'ntk.testTrain', ntk.testTrain, m, n);
  const { values, V } = eigenSymmetric(fn, theta);
  const left = thetaX.mmul(V);
  const Vt = V.transpose();
  return (g) => left.mmul(Matrix.diag(values.map((l) => g(l) / l))).mmul(Vt);
}

export interface FrozenNtkOptions {
  /** Learning rate eta of eq. (95). */
  eta: number;
  /** Times t (gradient-descent steps); Infinity gives eq. (97). */
  times: readonly number[];
  /** (1 - eta Theta / n)^t instead of exp(-eta Theta t / n). */
  discrete?: boolean;
}

function decayFactor(fn: string, options: FrozenNtkOptions, n: number, t: number): (lambda: number) => number {
  if (!(t >= 0)) fail(fn, 'times', 'non-negative numbers (Infinity allowed)', t);
  const rate = options.eta / n;
  if (t === Infinity) return () => 1;
  // 1 - exp(-x) without cancellation for small x
  return options.discrete ? (l) => 1 - (1 - rate * l) ** t : (l) => -Math.expm1(-rate * l * t);
}

/**
 * Eq. (96) for one network: phi_t at the test points for each time, given its initial outputs on
 * the training points (phi0Train) and test points (phi0Test). Returns times x m. At t = Infinity
 * this is eq. (97), and on the training points it returns y (memorisation, eq. (98)).
 */
export function frozenNtkTrajectory(ntk: KernelBlocks, yTrain: readonly number[], phi0Train: readonly number[], phi0Test: readonly number[], options: FrozenNtkOptions): number[][] {
  const fn = 'frozenNtkTrajectory';
  checkNonNegativeNumber(fn, 'eta', options.eta);
  const n = ntk.trainTrain.length, m = ntk.testTrain.length;
  if (yTrain.length !== n) fail(fn, 'yTrain', `${n} targets`, yTrain.length);
  if (phi0Train.length !== n) fail(fn, 'phi0Train', `${n} values`, phi0Train.length);
  if (phi0Test.length !== m) fail(fn, 'phi0Test', `${m} values`, phi0Test.length);
  const residual = Matrix.columnVector(yTrain.map((y, a) => y - phi0Train[a]));
  const weights = spectralWeights(fn, ntk);
  return options.times.map((t) => {
    const delta = weights(decayFactor(fn, options, n, t)).mmul(residual).to1DArray();
    return phi0Test.map((v, i) => v + delta[i]);
  });
}

/** Mean and covariance over initialisations phi_0 ~ GP(0, K) of eq. (96), at each time. */
export interface TrajectoryMoments {
  readonly times: readonly number[];
  /** mean[s][i] at test point i (eq. (99) at t = Infinity). */
  readonly mean: number[][];
  /** covariance[s]: m x m (present when nngp.testTest and ntk are given). */
  readonly covariance?: number[][][];
}

/**
 * Ensemble mean of eq. (96) (Theta_x Theta^-1 (1 - e^{-eta Theta t/n}) y, eq. (99) at t = Infinity;
 * EFT4ML slides, "Gradient training at infinite width": m = Theta_ba Theta_aa^-1 y) and, with the
 * NNGP blocks, the covariance over initialisations (the two-point function the lectures leave to
 * their ref. [49], Lee et al. 2019).
 */
export function frozenNtkMoments(ntk: KernelBlocks, yTrain: readonly number[], options: FrozenNtkOptions, nngp?: KernelBlocks): TrajectoryMoments {
  const fn = 'frozenNtkMoments';
  const n = ntk.trainTrain.length, m = ntk.testTrain.length;
  if (yTrain.length !== n) fail(fn, 'yTrain', `${n} targets`, yTrain.length);
  const y = Matrix.columnVector([...yTrain]);
  let K: { XX: Matrix; xX: Matrix; xx: Matrix } | undefined;
  if (nngp) {
    if (!nngp.testTest) fail(fn, 'nngp.testTest', 'the m x m NNGP kernel on the test points', undefined);
    K = { XX: checkMatrix(fn, 'nngp.trainTrain', nngp.trainTrain, n, n), xX: checkMatrix(fn, 'nngp.testTrain', nngp.testTrain, m, n), xx: checkMatrix(fn, 'nngp.testTest', nngp.testTest, m, m) };
  }
  const mean: number[][] = [];
  const covariance: number[][][] = [];
  const weights = spectralWeights(fn, ntk);
  for (const t of options.times) {
    const A = weights(decayFactor(fn, options, n, t));
    mean.push(A.mmul(y).to1DArray());
    if (K) {
      const cross = A.mmul(K.xX.transpose()); // A_x K_Xx'
      covariance.push(K.xx.clone().sub(cross).sub(cross.transpose()).add(A.mmul(K.XX).mmul(A.transpose())).to2DArray());
    }
  }
  return { times: [...options.times], mean, covariance: K ? covariance : undefined };
}

/**
 * GP posterior mean and covariance at the test points (float64, Cholesky of K_XX + s^2): EFT4ML
 * slides, "Bayesian learning at infinite width", m = K_ba K_aa^-1 y and its conditional covariance.
 */
export function gpPosterior(nngp: KernelBlocks, yTrain: readonly number[], noiseVariance = 0): { mean: number[]; covariance: number[][] } {
  const fn = 'gpPosterior';
  const n = nngp.trainTrain.length, m = nngp.testTrain.length;
  checkNonNegativeNumber(fn, 'noiseVariance', noiseVariance);
  if (!nngp.testTest) fail(fn, 'nngp.testTest', 'the m x m kernel on the test points', undefined);
  if (yTrain.length !== n) fail(fn, 'yTrain', `${n} targets`, yTrain.length);
  const KXX = checkMatrix(fn, 'nngp.trainTrain', nngp.trainTrain, n, n).add(Matrix.eye(n).mul(noiseVariance));
  const KxX = checkMatrix(fn, 'nngp.testTrain', nngp.testTrain, m, n);
  const Kxx = checkMatrix(fn, 'nngp.testTest', nngp.testTest, m, m);
  const chol = new CholeskyDecomposition(KXX);
  if (!chol.isPositiveDefinite()) fail(fn, 'nngp.trainTrain', 'positive definite (add noiseVariance or distinct inputs)', 'a singular kernel matrix');
  const alpha = chol.solve(Matrix.columnVector([...yTrain]));
  const V = chol.solve(KxX.transpose()); // (K_XX + s^2)^-1 K_Xx
  return { mean: KxX.mmul(alpha).to1DArray(), covariance: Kxx.clone().sub(KxX.mmul(V)).to2DArray() };
}

/** Blocks of a kernel matrix over [train..., test...] points. */
export function kernelBlocks(full: Mat, nTrain: number): Required<KernelBlocks> {
  const n = nTrain;
  return {
    trainTrain: full.slice(0, n).map((r) => r.slice(0, n)),
    testTrain: full.slice(n).map((r) => r.slice(0, n)),
    testTest: full.slice(n).map((r) => r.slice(n)),
  };
}
