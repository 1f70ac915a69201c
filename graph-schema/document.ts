import { z } from 'zod';
import { maxDocumentEdges, maxDocumentNodes, maxParamDepth, valueDepth } from './document-limits';

export const documentFormat = 'netweave.graph';
export const currentDocumentVersion = 1;
export const appVersion = '0.1.0';

const idSchema = z.string().min(1).max(200);

export const positionSchema = z.object({ x: z.number(), y: z.number() });

export const graphNodeSchema = z.object({
  id: idSchema,
  kind: z.string().min(1),
  label: z.string().optional(),
  // Bounded nesting: saving, copying and hashing walk params recursively.
  params: z
    .record(z.string(), z.unknown())
    .refine((p) => valueDepth(p, maxParamDepth) <= maxParamDepth, { message: `params nest more than ${maxParamDepth} levels deep` })
    .default({}),
  position: positionSchema.default({ x: 0, y: 0 }),
  /** Composite blocks only: shown as one node (true) or expanded in place (false). */
  collapsed: z.boolean().optional(),
  /** false freezes the layer (a block: its whole expansion): its weights never change and count as non-trainable, as in Keras. Absent means true. */
  trainable: z.boolean().optional(),
});

export const graphEdgeSchema = z.object({
  id: idSchema,
  source: idSchema,
  sourcePort: z.string().default('out'),
  target: idSchema,
  /** Multi-input layers (Add, Concatenate) take their inputs in edge order. */
  targetPort: z.string().default('in'),
});

export const graphSchema = z.object({
  nodes: z.array(graphNodeSchema).max(maxDocumentNodes),
  edges: z.array(graphEdgeSchema).max(maxDocumentEdges),
});

export const optimizerNames = ['sgd', 'momentum', 'rmsprop', 'adagrad', 'adam'] as const;
export const lossNames = ['meanSquaredError', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'] as const;
export type OptimizerName = (typeof optimizerNames)[number];
export type LossName = (typeof lossNames)[number];

export const trainingSettingsSchema = z.object({
  optimizer: z.enum(optimizerNames).default('adam'),
  learningRate: z.number().positive().max(10).default(0.001),
  loss: z.enum(lossNames).default('categoricalCrossentropy'),
  batchSize: z.number().int().min(1).max(65536).default(32),
  epochs: z.number().int().min(1).max(100000).default(5),
  validationSplit: z.number().min(0).max(0.9).default(0.1),
  shuffle: z.boolean().default(true),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /** A data set reference: mnist, xor, idx:DIR, cifar10:DIR, csv:FILE, folder:DIR. */
  dataset: z.string().default('mnist'),
});

export const viewStateSchema = z.object({
  viewport: z.object({ x: z.number(), y: z.number(), zoom: z.number().positive() }).optional(),
  selection: z.array(idSchema).optional(),
  /** Auto-layout direction chosen for this document (top to bottom when absent). */
  layoutDirection: z.enum(['TB', 'LR']).optional(),
});

/** Curves of a saved run, downsampled; NaN/Infinity are written as null. */
const savedSeriesSchema = z.object({
  x: z.array(z.number()).max(5000),
  loss: z.array(z.number().nullable()).max(5000),
  accuracy: z.array(z.number().nullable()).max(5000),
  validationLoss: z.array(z.number().nullable()).max(5000),
  validationAccuracy: z.array(z.number().nullable()).max(5000),
});

const savedGradientNormSchema = z.object({
  nodeId: idSchema,
  layer: z.string().max(300),
  depth: z.number().int().min(0),
  weightNorm: z.number().nullable(),
  activationNorm: z.number().nullable(),
});

/** A training run kept with the project (teaching lab): figures only, the trained weights are not in the file. */
export const savedRunSchema = z.object({
  id: idSchema,
  name: z.string().max(300),
  visible: z.boolean().default(true),
  /** Identity of the graph the run was trained from: results are stale when the graph's differs. */
  graphHash: z.string().max(200),
  status: z.enum(['finished', 'stopped', 'error']),
  createdAt: z.string().max(40),
  engine: z.string().max(100).optional(),
  seed: z.number().int().optional(),
  dataset: z.string().max(4200).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  batches: savedSeriesSchema,
  epochs: savedSeriesSchema,
  evaluation: z.object({ loss: z.number().nullable(), accuracy: z.number().nullable(), count: z.number().int().min(0) }).nullable().default(null),
  /** Per epoch, the gradient norms by depth of the layers with weights. */
  gradientNorms: z.array(z.object({ epoch: z.number(), norms: z.array(savedGradientNormSchema).max(5000) })).max(1000).default([]),
});

export const documentSchema = z.object({
  format: z.literal(documentFormat),
  version: z.literal(currentDocumentVersion),
  appVersion: z.string(),
  name: z.string().default('Untitled'),
  graph: graphSchema,
  training: trainingSettingsSchema.default(trainingSettingsSchema.parse({})),
  view: viewStateSchema.default({}),
  /** Training runs kept with the project (optional; older files have none). */
  runs: z.array(savedRunSchema).max(100).optional(),
  /** Weights kept with an imported project: a folder (relative to the project file) written by `netweave import`. */
  weights: z.object({ format: z.literal('netweave.weights'), path: z.string().min(1).max(4096) }).optional(),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type Graph = z.infer<typeof graphSchema>;
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;
export type ViewState = z.infer<typeof viewStateSchema>;
export type NetweaveDocument = z.infer<typeof documentSchema>;
export type SavedRun = z.infer<typeof savedRunSchema>;

export function createDocument(graph: Graph, name = 'Untitled', training?: Partial<TrainingSettings>): NetweaveDocument {
  return {
    format: documentFormat,
    version: currentDocumentVersion,
    appVersion,
    name,
    graph,
    training: trainingSettingsSchema.parse(training ?? {}),
    view: {},
  };
}
