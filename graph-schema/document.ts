import { z } from 'zod';

export const documentFormat = 'netweave.graph';
export const currentDocumentVersion = 1;
export const appVersion = '0.1.0';

const idSchema = z.string().min(1).max(200);

export const positionSchema = z.object({ x: z.number(), y: z.number() });

export const graphNodeSchema = z.object({
  id: idSchema,
  kind: z.string().min(1),
  label: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
  position: positionSchema.default({ x: 0, y: 0 }),
  /** Composite blocks only: shown as one node (true) or expanded in place (false). */
  collapsed: z.boolean().optional(),
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
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});

export const optimizerNames = ['sgd', 'momentum', 'rmsprop', 'adagrad', 'adam'] as const;
export const lossNames = ['meanSquaredError', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'] as const;

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
});

export const documentSchema = z.object({
  format: z.literal(documentFormat),
  version: z.literal(currentDocumentVersion),
  appVersion: z.string(),
  name: z.string().default('Untitled'),
  graph: graphSchema,
  training: trainingSettingsSchema.default(trainingSettingsSchema.parse({})),
  view: viewStateSchema.default({}),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type Graph = z.infer<typeof graphSchema>;
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;
export type ViewState = z.infer<typeof viewStateSchema>;
export type NetweaveDocument = z.infer<typeof documentSchema>;

export function defaultTrainingSettings(): TrainingSettings {
  return trainingSettingsSchema.parse({});
}

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
