/**
 * The monitored model: a CART classification tree (ml-cart's Gini-gain
 * DecisionTreeClassifier) for malignant vs benign, turned after training into
 * a plain JSON tree whose leaves keep the class shares of the training rows
 * that reached them. The score is the leaf's malignant share, a probability
 * rather than a 0/1 vote; a missing input is replaced by the feature's
 * training median, as a serving pipeline's imputer would do.
 */
import { createHash } from 'node:crypto';
import { DecisionTreeClassifier, type CartNode } from 'ml-cart';
import { median } from 'simple-statistics';
import { canonicalJson } from './canonical-json.ts';
import { CLASSES, POSITIVE_CLASS, type Diagnosis, type LabeledRow } from './dataset.ts';

export const MODEL_FORMAT = 'aegis-cart/1';

export interface SplitNode {
  /** Index into the model's features. */
  feature: number;
  /** Rows with value < threshold go left, the others right. */
  threshold: number;
  left: TreeNode;
  right: TreeNode;
}

export interface LeafNode {
  /** Training class shares at this leaf, aligned with the model's classes. */
  distribution: number[];
}

export type TreeNode = SplitNode | LeafNode;

export interface CartHyperparameters {
  maxDepth: number;
  minNumSamples: number;
  gainThreshold: number;
}

export interface CartModel {
  format: typeof MODEL_FORMAT;
  features: string[];
  classes: Diagnosis[];
  positiveClass: Diagnosis;
  /** Per feature, the training median that stands in for a missing value. */
  fill: number[];
  hyperparameters: CartHyperparameters;
  tree: TreeNode;
}

/** A feature vector in the model's feature order; null (or NaN) is missing. */
export type FeatureValues = readonly (number | null)[];

/**
 * Depth at most 6, no split of 4 rows or fewer, no split gaining less than
 * 0.01 Gini: a small tree that generalises from ~230 training rows (holdout
 * accuracy ≈ 0.93 with the trainer's default seed) and whose leaves keep
 * mixed class shares.
 */
export const DEFAULT_HYPERPARAMETERS: CartHyperparameters = { maxDepth: 6, minNumSamples: 4, gainThreshold: 0.01 };

export function isLeaf(node: TreeNode): node is LeafNode {
  return 'distribution' in node;
}

function fromCart(node: CartNode): TreeNode {
  if (node.left && node.right) {
    if (node.splitColumn === undefined || node.splitValue === undefined) throw new Error('ml-cart split node without a split');
    return { feature: node.splitColumn, threshold: node.splitValue, left: fromCart(node.left), right: fromCart(node.right) };
  }
  if (!node.distribution) throw new Error('ml-cart leaf without a class distribution');
  const shares = node.distribution.to1DArray();
  return { distribution: CLASSES.map((_, k) => shares[k] ?? 0) };
}

/** Trains a tree on `rows` (whose values follow `features`). */
export function train(
  features: readonly string[],
  rows: readonly LabeledRow[],
  hyperparameters: CartHyperparameters = DEFAULT_HYPERPARAMETERS,
): CartModel {
  if (rows.length === 0) throw new Error('no training rows');
  const classifier = new DecisionTreeClassifier({ gainFunction: 'gini', splitFunction: 'mean', ...hyperparameters });
  classifier.train(
    rows.map((r) => r.values),
    rows.map((r) => CLASSES.indexOf(r.label)),
  );
  return {
    format: MODEL_FORMAT,
    features: [...features],
    classes: [...CLASSES],
    positiveClass: POSITIVE_CLASS,
    fill: features.map((_, j) => median(rows.map((r) => r.values[j]))),
    hyperparameters: { ...hyperparameters },
    tree: fromCart(classifier.root),
  };
}

function leafFor(model: CartModel, values: FeatureValues): LeafNode {
  let node = model.tree;
  while (!isLeaf(node)) {
    const raw = values[node.feature];
    const x = raw === null || raw === undefined || Number.isNaN(raw) ? model.fill[node.feature] : raw;
    node = x < node.threshold ? node.left : node.right;
  }
  return node;
}

/** P(positive class | values): the positive class's share at the row's leaf, in [0, 1]. */
export function predictProba(model: CartModel, values: FeatureValues): number {
  return classify(model, values).score;
}

/** The class with the largest leaf share; a tie goes to the first class (as ml-cart's argmax does). */
export function predict(model: CartModel, values: FeatureValues): Diagnosis {
  return classify(model, values).label;
}

/** predict and predictProba from one walk of the tree: what a serving call returns. */
export function classify(model: CartModel, values: FeatureValues): { label: Diagnosis; score: number } {
  const { distribution } = leafFor(model, values);
  let best = 0;
  for (let k = 1; k < distribution.length; k++) if (distribution[k] > distribution[best]) best = k;
  const score = Math.min(1, Math.max(0, distribution[model.classes.indexOf(model.positiveClass)]));
  return { label: model.classes[best], score };
}

/** The model as canonical JSON text (sorted keys), the form that is hashed and stored. */
export function serialize(model: CartModel): string {
  return canonicalJson(model);
}

function checkTree(node: unknown, features: number, classes: number): void {
  const n = node as Partial<SplitNode & LeafNode>;
  if (Array.isArray(n?.distribution)) {
    if (n.distribution.length !== classes || n.distribution.some((p) => typeof p !== 'number')) throw new Error('bad leaf distribution');
    return;
  }
  if (!Number.isInteger(n?.feature) || n.feature! < 0 || n.feature! >= features || typeof n.threshold !== 'number') {
    throw new Error('bad split node');
  }
  checkTree(n.left, features, classes);
  checkTree(n.right, features, classes);
}

/** Parses a serialized model, checking its format and tree shape. */
export function deserialize(text: string | object): CartModel {
  const model = (typeof text === 'string' ? JSON.parse(text) : text) as CartModel;
  if (model?.format !== MODEL_FORMAT) throw new Error(`not an ${MODEL_FORMAT} model (format '${model?.format}')`);
  if (!Array.isArray(model.features) || model.fill?.length !== model.features.length) throw new Error('bad features or fill');
  if (!model.classes.includes(model.positiveClass)) throw new Error(`positive class '${model.positiveClass}' is not a class`);
  checkTree(model.tree, model.features.length, model.classes.length);
  return model;
}

/** The model's version: the first 12 hex digits of sha256 over its canonical JSON. */
export function modelVersion(model: CartModel): string {
  return createHash('sha256').update(serialize(model)).digest('hex').slice(0, 12);
}
