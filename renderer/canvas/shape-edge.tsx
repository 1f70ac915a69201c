import { BaseEdge, EdgeLabelRenderer, useStore as useFlowStore } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowEdge } from '../store/flow-model';
import { isFarView } from './far-view';
import { SvgPath, traceEdge } from './edge-path';

/**
 * An edge labelled with the tensor shape it carries. A skip connection bows
 * out to the side (or runs down its block's lane), dashed and coloured, so it
 * never hides behind the layers it bypasses; a wrapped chain's edge runs
 * between the frames.
 */
function ShapeEdgeView(props: EdgeProps<FlowEdge>) {
  // The far view hides labels anyway: not creating a thousand label elements makes large graphs load faster.
  const far = useFlowStore(isFarView);
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  // The same path as the far canvas traces (edge-path.ts): lanes, wrap routes, bows, beziers.
  const svg = new SvgPath();
  const { labelX, labelY } = traceEdge(svg, { sx: sourceX, sy: sourceY, tx: targetX, ty: targetY, sourcePosition, targetPosition }, data);
  const path = svg.d;
  const className = ['nw-edge', data?.skip ? 'is-skip' : '', data?.inner ? 'is-inner' : '', selected ? 'is-selected' : '', data?.unknown ? 'is-unknown' : ''].filter(Boolean).join(' ');
  return (
    <>
      <BaseEdge id={id} path={path} className={className} markerEnd={markerEnd} interactionWidth={data?.inner ? 0 : 16} />
      {data?.label && !far ? (
        <EdgeLabelRenderer>
          <div
            className={`nw-edge-label${data.skip ? ' is-skip' : ''}${data.unknown ? ' is-unknown' : ''}${selected ? ' is-selected' : ''}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-testid={`edge-label-${id}`}
            data-skip={data.skip ? 'true' : 'false'}
          >
            {data.label}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
