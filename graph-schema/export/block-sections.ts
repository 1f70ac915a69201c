import type { ExportBlock, ExportLayer, ExportModel } from './export-model';
import { commentText, paramsText, shapeText } from './literals';

/**
 * Emits the lines of every layer in order and frames the layers of each
 * composite block with a comment header and footer, in any language.
 */
export function emitWithBlockSections(
  model: ExportModel,
  style: { indent: string; comment: string; language: 'ts' | 'py' },
  lines: (layer: ExportLayer) => string[],
): string[] {
  const out: string[] = [];
  const { indent, comment, language } = style;
  let open: ExportBlock | undefined;
  const close = (): void => {
    if (open) out.push(`${indent}${comment} end of ${commentText(open.label)}`, '');
    open = undefined;
  };
  for (const layer of model.layers) {
    if (layer.block !== open) {
      close();
      if (layer.block) {
        open = layer.block;
        const count = paramsText(open.paramCount);
        if (out.length > 0 && out[out.length - 1] !== '') out.push('');
        out.push(
          `${indent}${comment} ${commentText(open.label)}: ${open.kind} (${commentText(open.description)}), expanded into its layers.`,
          `${indent}${comment} Block output ${shapeText(open.outputShape, language)}${count ? `, ${count}` : ''}.`,
        );
      }
    }
    out.push(...lines(layer));
  }
  close();
  return out;
}

/** Keeps at most two blank lines in a row (Python puts two between top-level definitions) and one final newline. */
export function tidyLines(lines: string[]): string {
  return `${lines.join('\n').replace(/\n{4,}/g, '\n\n\n').replace(/\n+$/, '')}\n`;
}
