import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { CSSProperties } from 'react';
import { memo } from 'react';
import { getLayerDef } from '../../graph-schema/registry';
import { formatCompact, formatCount } from '../format';
import type { LayerFlowNode } from '../store/flow-model';
import { editorStore, useEditor } from '../store/use-editor';
import { colorOf } from './categories';
import { ErrorCallout } from './error-callout';

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const def = getLayerDef(data.kind);
  // Left to right: edges enter on the left and leave on the right (layers inside a block stay top to bottom).
  const lr = useEditor((s) => s.document.view.layoutDirection === 'LR') && !data.inner;
  const total = data.trainable + data.nonTrainable;
  const className = ['nw-node', selected ? 'is-selected' : '', data.error ? 'has-error' : '', data.warning && !data.error ? 'has-warning' : '', data.inner ? 'is-inner' : '', data.block ? 'is-block' : '', data.frozen ? 'is-frozen' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={className} style={{ '--cat': colorOf(data.category) } as CSSProperties} data-testid={`node-${id}`} data-kind={data.kind}>
      {data.acceptsInput && (
        <Handle type="target" position={lr ? Position.Left : Position.Top} id="in" className={data.multiInput ? 'nw-handle multi' : 'nw-handle'} isConnectable={!data.inner} data-testid={`handle-in-${id}`} />
      )}
      <div className="nw-node-head">
        <span className="nw-node-kind">{def?.label ?? data.kind}</span>
        {data.frozen && (
          <span className="nw-node-frozen" title="Frozen: its weights stay fixed in training" data-testid={`node-frozen-${id}`}>
            ❄
          </span>
        )}
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
        <ErrorCallout id={id} error={data.error} className="nw-node-error nodrag" />
      )}
      {data.warning && !data.error && <span className="nw-node-warn" title={data.warning} data-testid={`node-warning-${id}`}>!</span>}
      <Handle type="source" position={lr ? Position.Right : Position.Bottom} id="out" className="nw-handle" isConnectable={!data.inner} data-testid={`handle-out-${id}`} />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
