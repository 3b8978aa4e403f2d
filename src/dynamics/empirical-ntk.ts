/**
 * The empirical neural tangent kernel of every member of an ensemble (TASI lectures section 4.1,
 * eq. (89)): tfjs autodiff for the gradients, float64 dot products on the host. At large width in
 * the NTK parameterization it concentrates on the frozen NTK of exact/infinite-width.ts.
 */
import { AbcParameters, disposeParameters, forward, memberChunks, pointsTensor, sliceMembers } from './parameters';
import { tf } from '../core/backend';
import { Net } from '../nets/architectures';
import { checkPositiveInteger } from '../core/validate';

/**
 * Empirical NTK Theta(x_p, x_q) = sum_theta d phi(x_p)/d theta  d phi(x_q)/d theta (TASI
 * eq. (82)) of every member
 * (tfjs autodiff for the gradients, float64 dot products on the host). Returns E matrices P x P.
 * @see TASI lectures eq. (89).
 */
export function empiricalNtk(net: Net, params: AbcParameters, inputs: readonly (readonly number[] | number)[], options: { membersPerChunk?: number } = {}): number[][][] {
  const per = options.membersPerChunk === undefined ? undefined : checkPositiveInteger('empiricalNtk', 'membersPerChunk', options.membersPerChunk);
  const chunks = memberChunks(net, params.members, per);
  if (chunks.length > 1) {
    return chunks.flatMap(([first, count]) => {
      const part = sliceMembers(params, first, count);
      const theta = empiricalNtk(net, part, inputs);
      disposeParameters(part);
      return theta;
    });
  }
  const X = pointsTensor(net, inputs, 'empiricalNtk');
  const P = X.shape[0];
  const E = params.members;
  const all = [...params.weights, ...params.biases];
  // grads[p][k]: gradient of sum_e phi_e(x_p) with respect to tensor k: member e's own gradient in slice e.
  const grads: Float32Array[][] = [];
  for (let p = 0; p < P; p++) {
    const g = tf.grads((...ts: tf.Tensor[]) => {
      const nw = params.weights.length;
      const { phi } = forward(net, ts.slice(0, nw) as tf.Tensor3D[], ts.slice(nw) as tf.Tensor3D[], X);
      return phi.slice([0, p], [E, 1]).sum();
    })(all);
    grads.push(g.map((t) => t.dataSync() as Float32Array));
    g.forEach((t) => t.dispose());
  }
  X.dispose();
  const out: number[][][] = [];
  for (let e = 0; e < E; e++) {
    const theta = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    for (let p = 0; p < P; p++) {
      for (let q = p; q < P; q++) {
        let s = 0;
        for (let k = 0; k < all.length; k++) {
          const size = grads[p][k].length / E;
          const a = grads[p][k], b = grads[q][k];
          for (let i = e * size, end = (e + 1) * size; i < end; i++) s += a[i] * b[i];
        }
        theta[p][q] = theta[q][p] = s;
      }
    }
    out.push(theta);
  }
  return out;
}

