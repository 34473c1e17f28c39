/** A dense layer of the small text networks (duration, pause), as their trainers write it and the exporter reads it. */
export interface DenseLayer {
  /** [inputs, outputs], row-major. */
  w: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
  activation: 'tanh' | 'sigmoid' | 'linear';
}
