import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { CSSProperties } from 'react';
import { memo } from 'react';
import { getLayerDef } from '../../graph-schema/registry';
import { formatCompact, formatCount } from '../format';
import type { LayerFlowNode } from '../store/flow-model';
import { editorStore } from '../store/use-editor';
import { colorOf } from './categories';

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const def = getLayerDef(data.kind);
  const total = data.trainable + data.nonTrainable;
  const className = ['nw-node', selected ? 'is-selected' : '', data.error ? 'has-error' : '', data.warning && !data.error ? 'has-warning' : '', data.inner ? 'is-inner' : '', data.block ? 'is-block' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={className} style={{ '--cat': colorOf(data.category) } as CSSProperties} data-testid={`node-${id}`} data-kind={data.kind}>
      {data.acceptsInput && (
        <Handle type="target" position={Position.Top} id="in" className={data.multiInput ? 'nw-handle multi' : 'nw-handle'} isConnectable={!data.inner} data-testid={`handle-in-${id}`} />
      )}
      <div className="nw-node-head">
        <span className="nw-node-kind">{def?.label ?? data.kind}</span>
        <span className="nw-node-title" title={data.title}>
          {data.title}
        </span>
        {data.block && (
          <button
            className="nw-node-toggle nodrag"
            title="Expand the block to its layers"
            data-testid={`node-expand-${id}`}
            onClick={(e) => {
              e.stopPropagation();
              editorStore.getState().setExpanded(id, true);
            }}
          >
            ⊞
          </button>
        )}
      </div>
      {data.detail && (
        <div className="nw-node-detail" data-testid={`node-detail-${id}`}>
          {data.detail}
        </div>
      )}
      <div className="nw-node-foot">
        <span className="nw-node-shape" data-testid={`node-shape-${id}`} title="Output shape (batch axis left out)">
          {data.shape}
        </span>
        <span className="nw-node-params" data-testid={`node-params-${id}`} data-count={total} title={`${formatCount(data.trainable)} trainable, ${formatCount(data.nonTrainable)} non-trainable parameters`}>
          {total > 0 ? `${formatCompact(total)} params` : '—'}
        </span>
      </div>
      {data.error && <span className="nw-node-warn is-error">!</span>}
      {data.error && (
        <div className="nw-node-error nodrag" data-testid={`node-error-${id}`} title={data.error}>
          <span className="nw-badge">!</span>
          <span className="nw-node-error-text">{data.error}</span>
        </div>
      )}
      {data.warning && !data.error && <span className="nw-node-warn" title={data.warning} data-testid={`node-warning-${id}`}>!</span>}
      <Handle type="source" position={Position.Bottom} id="out" className="nw-handle" isConnectable={!data.inner} data-testid={`handle-out-${id}`} />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
