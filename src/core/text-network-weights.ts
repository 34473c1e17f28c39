/** A dense layer of the small text networks (duration, pause), as their trainers write it and the exporter reads it. */
export interface DenseLayer {
  /** [inputs, outputs], row-major. */
  w: Float32Array;
  b: Float32Array;
  inputs: number;
  outputs: number;
  activation: 'tanh' | 'sigmoid' | 'linear';
}

/** The letter-to-sound network's weights (one ReLU layer, a softmax over phone chunks), as trained, stored in lts.bin and loaded. */
export interface LtsWeights {
  hidden: number;
  classes: string[];
  /** [inputs, hidden], [hidden], [hidden, classes], [classes]. */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}
