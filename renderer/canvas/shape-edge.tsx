import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore as useFlowStore } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { FlowEdge } from '../store/flow-model';
import { isFarView } from './far-view';
import { lanePath } from './lane-path';

/**
 * An edge labelled with the tensor shape it carries. A skip connection bows
 * out to the side, dashed and coloured, so it never hides behind the layers
 * it bypasses.
 */
function ShapeEdgeView(props: EdgeProps<FlowEdge>) {
  // The far view hides labels anyway: not creating a thousand label elements makes large graphs load faster.
  const far = useFlowStore(isFarView);
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (data?.laneDx !== undefined) {
    // A residual block's shortcut: down its own lane beside the main path.
    ({ path, labelX, labelY } = lanePath(sourceX, sourceY, targetX, targetY, targetX + data.laneDx));
  } else if (data?.skip && Math.abs(targetX - sourceX) < 80 && targetY - sourceY > 150) {
    const span = Math.abs(targetY - sourceY);
    const bow = 90 + Math.min(200, span * 0.12);
    const lead = Math.min(80, span * 0.25);
    const c1 = { x: sourceX + bow, y: sourceY + lead };
    const c2 = { x: targetX + bow, y: targetY - lead };
    path = `M ${sourceX},${sourceY} C ${c1.x},${c1.y} ${c2.x},${c2.y} ${targetX},${targetY}`;
    labelX = 0.125 * sourceX + 0.375 * c1.x + 0.375 * c2.x + 0.125 * targetX;
    labelY = 0.125 * sourceY + 0.375 * c1.y + 0.375 * c2.y + 0.125 * targetY;
  } else {
    [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  }
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
