/**
 * Exact finite-width statistics of single-layer nets from single-neuron expectations.
 *
 * f(x) - b1 = sum_i W1_i phi_i(x) is a sum of N i.i.d. terms with W1_i ~ N(0, sw^2/N), so its
 * cumulants add (TASI lectures eqs. (44)-(51), appendix A). On the diagonal x1 = ... = x4 = x:
 *
 *   G4c(x,x,x,x) = N * (E[W1^4] E[phi^4] - 3 E[W1^2]^2 E[phi^2]^2)
 *                = (3 sw^4 / N) (E[phi_x^4] - E[phi_x^2]^2),
 *
 * with phi_x = act_x(z), z ~ N(0, k(x,x)). The Gaussian bias b1 adds nothing to connected parts.
 * Single-neuron expectations come from Gauss-Hermite quadrature.
 */
import { SingleLayerNet, preactivationCovariance } from './architectures';
import { unitActivation, gpKernel } from './kernels';
import { gaussHermiteNormal } from './special';
import { checkInputs, checkPositiveInteger } from './validate';

/** E[phi_x(z)^power], z ~ N(0, k(x,x)), by Gauss-Hermite quadrature of the given order. */
export function unitMoment(net: SingleLayerNet, x: readonly number[], power: number, order = 160): number {
  checkPositiveInteger('unitMoment', 'power', power);
  const act = unitActivation(net, x);
  const s = Math.sqrt(preactivationCovariance(net, x, x));
  const { nodes, weights } = gaussHermiteNormal(order);
  let total = 0;
  for (let i = 0; i < nodes.length; i++) total += weights[i] * act(s * nodes[i]) ** power;
  return total;
}

/** Exact connected 4-point function at one point, G4c(x,x,x,x), at the net's width. */
export function connectedFourPointDiagonal(net: SingleLayerNet, x: readonly number[] | number): number {
  const [point] = checkInputs('connectedFourPointDiagonal', [x], net.dIn);
  const m2 = unitMoment(net, point, 2);
  const m4 = unitMoment(net, point, 4);
  return ((3 * net.sigmaW ** 4) / net.width) * (m4 - m2 * m2);
}

/** Exact excess kurtosis of f(x): G4c(x,x,x,x) / G2(x,x)^2, which falls as 1/N. */
export function excessKurtosis(net: SingleLayerNet, x: readonly number[] | number): number {
  const [point] = checkInputs('excessKurtosis', [x], net.dIn);
  const g2 = gpKernel(net)(point, point);
  return connectedFourPointDiagonal(net, point) / (g2 * g2);
}
