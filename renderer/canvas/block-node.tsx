import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { CSSProperties } from 'react';
import { memo } from 'react';
import { getLayerDef } from '../../graph-schema/registry';
import { formatCount } from '../format';
import type { BlockFlowNode } from '../store/flow-model';
import { editorStore, useEditor } from '../store/use-editor';
import { colorOf } from './categories';
import { ErrorCallout } from './error-callout';

/** An expanded composite block: a frame around its layers, with the block's own totals. */
function BlockNodeView({ id, data, selected }: NodeProps<BlockFlowNode>) {
  const def = getLayerDef(data.kind);
  const lr = useEditor((s) => s.document.view.layoutDirection === 'LR');
  return (
    <div
      className={`nw-block${selected ? ' is-selected' : ''}${data.error ? ' has-error' : ''}`}
      style={{ '--cat': colorOf('block') } as CSSProperties}
      data-testid={`node-${id}`}
      data-kind={data.kind}
    >
      {/* Top to bottom, a block with a shortcut lane takes its input and gives its output in line with its main path. */}
      <Handle type="target" position={lr ? Position.Left : Position.Top} id="in" className="nw-handle" data-testid={`handle-in-${id}`} style={!lr && data.mainX !== undefined ? { left: data.mainX } : undefined} />
      <Handle type="source" position={Position.Top} id="inner-in" className="nw-handle inner" isConnectable={false} style={{ top: 62, left: data.innerInX ?? data.mainX }} />
      {data.laneX !== undefined && (
        // The shortcut's own lane, beside the main path.
        <div className="nw-block-lane" data-testid={`block-lane-${id}`} style={{ left: data.laneX - 122, top: data.laneTop, height: (data.laneBottom ?? 0) - (data.laneTop ?? 0) }}>
          <span>shortcut</span>
        </div>
      )}
      <div className="nw-block-head">
        <div className="nw-block-titles">
          <div className="nw-block-title-row">
            <span className="nw-node-kind">{def?.label ?? data.kind}</span>
            <span className="nw-node-title">{data.title}</span>
          </div>
          <span className="nw-block-detail">{data.detail}</span>
        </div>
        <div className="nw-block-totals">
          <span data-testid={`node-shape-${id}`}>{data.shape}</span>
          <span data-testid={`node-params-${id}`} data-count={data.trainable + data.nonTrainable}>
            {formatCount(data.trainable + data.nonTrainable)} params · {data.layerCount} layers
          </span>
        </div>
        <button
          className="nw-node-toggle nodrag"
          title="Collapse the block to one node"
          data-testid={`node-collapse-${id}`}
          onClick={(e) => {
            e.stopPropagation();
            editorStore.getState().setExpanded(id, false);
          }}
        >
          ⊟
        </button>
      </div>
      {data.error && (
        <ErrorCallout id={id} error={data.error} className="nw-node-error nw-block-error" />
      )}
      <Handle type="target" position={Position.Bottom} id="inner-out" className="nw-handle inner" isConnectable={false} style={{ bottom: 22, left: data.innerOutX ?? data.mainX }} />
      <Handle type="source" position={lr ? Position.Right : Position.Bottom} id="out" className="nw-handle" data-testid={`handle-out-${id}`} style={!lr && data.mainX !== undefined ? { left: data.mainX } : undefined} />
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
