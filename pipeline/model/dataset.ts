/**
 * The labelled rows a model is trained, checked and replayed on: the Breast
 * Cancer Wisconsin (Diagnostic) table parsed from its CSV text, each row its
 * 30 feature values in a fixed feature order plus the diagnosis.
 */
import { parse } from 'csv-parse/sync';

/** The two diagnoses: benign and malignant (the positive class). */
export const CLASSES = ['B', 'M'] as const;

/** The 30 Breast Cancer Wisconsin (Diagnostic) features, in the data file's order. */
export const WDBC_FEATURES = [
  'mean_radius', 'mean_texture', 'mean_perimeter', 'mean_area', 'mean_smoothness',
  'mean_compactness', 'mean_concavity', 'mean_concave_points', 'mean_symmetry', 'mean_fractal_dimension',
  'radius_error', 'texture_error', 'perimeter_error', 'area_error', 'smoothness_error',
  'compactness_error', 'concavity_error', 'concave_points_error', 'symmetry_error', 'fractal_dimension_error',
  'worst_radius', 'worst_texture', 'worst_perimeter', 'worst_area', 'worst_smoothness',
  'worst_compactness', 'worst_concavity', 'worst_concave_points', 'worst_symmetry', 'worst_fractal_dimension',
] as const;
export type Diagnosis = (typeof CLASSES)[number];
export const POSITIVE_CLASS: Diagnosis = 'M';

export interface LabeledRow {
  /** The data set's sample id. */
  id: string;
  label: Diagnosis;
  /** Feature values in the data set's feature order. */
  values: number[];
}

export interface Dataset {
  features: string[];
  rows: LabeledRow[];
}

export function isDiagnosis(value: string): value is Diagnosis {
  return (CLASSES as readonly string[]).includes(value);
}

/**
 * Parses the WDBC CSV (header `id,diagnosis,<30 features>`): every column
 * other than id and diagnosis is a feature, in header order. Throws on a
 * missing column, an unknown diagnosis or a non-numeric value, naming the row.
 */
export function parseWdbcCsv(text: string): Dataset {
  const records = parse(text, { columns: false, skip_empty_lines: true, trim: true }) as string[][];
  const [header, ...body] = records;
  if (!header || header[0] !== 'id' || header[1] !== 'diagnosis') {
    throw new Error(`expected a header starting 'id,diagnosis', got '${header?.slice(0, 2).join(',')}'`);
  }
  const features = header.slice(2);
  const rows = body.map((cells, i): LabeledRow => {
    const line = i + 2;
    if (cells.length !== header.length) throw new Error(`line ${line}: ${cells.length} cells, expected ${header.length}`);
    const [id, label, ...raw] = cells;
    if (!isDiagnosis(label)) throw new Error(`line ${line}: unknown diagnosis '${label}'`);
    const values = raw.map((cell, j) => {
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) throw new Error(`line ${line}: ${features[j]} is not a number: '${cell}'`);
      return value;
    });
    return { id, label, values };
  });
  return { features, rows };
}
