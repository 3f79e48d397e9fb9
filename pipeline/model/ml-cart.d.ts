/**
 * Types for the parts of ml-cart 2.1 (which ships none) that the CART model
 * uses: training a classifier and walking its fitted tree. A split node sends
 * a row left when row[splitColumn] < splitValue; a leaf's `distribution` is a
 * 1×k row vector of the training class shares that reached it (k = highest
 * class index seen there + 1).
 */
declare module 'ml-cart' {
  export interface CartNode {
    left?: CartNode;
    right?: CartNode;
    splitColumn?: number;
    splitValue?: number;
    distribution?: { to1DArray(): number[] };
  }

  export interface DecisionTreeClassifierOptions {
    gainFunction?: 'gini';
    splitFunction?: 'mean';
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }

  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeClassifierOptions);
    root: CartNode;
    train(trainingSet: number[][], trainingLabels: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
