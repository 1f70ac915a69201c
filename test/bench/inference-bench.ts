// Prints how long full graph inference takes on a 1,000-node graph (the canvas runs it on every edit).
import { analyzeGraph } from '../../graph-schema/infer';
import { generateLargeGraph } from '../support/large-graph';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function runInferenceBench(): { nodes: number; medianMs: number; p95Ms: number } {
  const graph = generateLargeGraph(1000);
  for (let i = 0; i < 30; i++) analyzeGraph(graph); // warm-up for the JIT
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    // An edit changes one node, as on the canvas: a fresh object for it, the rest shared.
    const target = graph.nodes[1 + (i % (graph.nodes.length - 1))]!;
    const edited = { ...graph, nodes: graph.nodes.map((n) => (n === target ? { ...n, position: { x: i, y: n.position.y } } : n)) };
    const t0 = performance.now();
    const result = analyzeGraph(edited);
    times.push(performance.now() - t0);
    if (result.diagnostics.some((d) => d.severity === 'error')) throw new Error('benchmark graph should be valid');
  }
  // Cold: every node a fresh object, as when a file is opened.
  const cold: number[] = [];
  for (let i = 0; i < 50; i++) {
    const fresh = { nodes: graph.nodes.map((n) => ({ ...n })), edges: graph.edges };
    const t0 = performance.now();
    analyzeGraph(fresh);
    cold.push(performance.now() - t0);
  }
  console.log(`inference (cold, every node new): median ${median(cold).toFixed(2)} ms`);
  const sorted = [...times].sort((a, b) => a - b);
  const result = { nodes: graph.nodes.length, medianMs: median(times), p95Ms: sorted[Math.floor(sorted.length * 0.95)]! };
  console.log(`inference: ${result.nodes} nodes, ${graph.edges.length} edges — median ${result.medianMs.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms per analysis after a one-node edit (target: well under 10 ms)`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) runInferenceBench();
