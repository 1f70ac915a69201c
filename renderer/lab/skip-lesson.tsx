import type { ReactNode } from 'react';
import { editorStore } from '../store/use-editor';
import { useRuns } from '../training/training-store';
import { CompareCharts, FinalFigures, RunList } from './compare-view';
import { GradientChart } from './gradient-chart';
import { openSkipTwins, trainBoth } from './lab-actions';
import { useLab } from './lab-store';
import { LandscapeView, requestLandscape } from './landscape-view';
import { inspectableRuns, LayerView } from './layer-view';

interface LessonStep {
  title: string;
  /** What to say to the class: what to look at, what it means. */
  text: ReactNode;
  action?: { label: string; testId: string; run(): void | Promise<unknown> };
  /** The part of the app this step looks at, shown under the text. */
  view?: () => ReactNode;
}

/** The first edge out of the first layer with weights: its activations are the first hidden layer's. */
function pickFirstHiddenEdge(): void {
  const { document } = editorStore.getState();
  const weighted = document.graph.nodes.find((n) => n.kind === 'Dense' || /Conv2D$/.test(n.kind));
  const edge = document.graph.edges.find((e) => e.source === weighted?.id) ?? document.graph.edges[0];
  if (edge) {
    editorStore.getState().selectOnly([], [edge.id]);
    useLab.getState().set({ edgeId: null });
  }
}

function landscapesForAll(): void {
  const { runs, order } = useRuns.getState();
  for (const r of inspectableRuns(runs, order).filter((r) => r.visible).slice(-2)) void requestLandscape(r.id);
}

function LessonOptions() {
  const limit = useLab((s) => s.lessonLimit);
  const epochs = useLab((s) => s.lessonEpochs);
  const set = useLab((s) => s.set);
  return (
    <div className="nw-row nw-lab-options">
      <label className="nw-small">
        examples{' '}
        <input className="nw-input nw-lab-num" value={limit} onChange={(e) => set({ lessonLimit: e.target.value })} inputMode="numeric" data-testid="lesson-limit" />
      </label>
      <label className="nw-small">
        epochs{' '}
        <input className="nw-input nw-lab-num" value={epochs} onChange={(e) => set({ lessonEpochs: e.target.value })} inputMode="numeric" data-testid="lesson-epochs" />
      </label>
    </div>
  );
}

export const skipLessonSteps: LessonStep[] = [
  {
    title: 'Two nets, one difference',
    text: (
      <>
        On the canvas: a deep stack of narrow Dense layers where every two layers an <b>Add</b> brings the earlier signal back — a <i>skip connection</i>. Beside it, its plain twin: the same layers, the same
        initial weights, no skips. Everything you will see next comes from that one difference.
      </>
    ),
    action: { label: 'Open the twins', testId: 'lesson-open-twins', run: openSkipTwins },
  },
  {
    title: 'Train both, same seed',
    text: (
      <>
        Both nets train on the same handwritten digits, in the same order, from the same starting weights. Watch the two loss curves as they come in.
      </>
    ),
    action: { label: 'Train both', testId: 'lesson-train-both', run: trainBoth },
    view: () => (
      <>
        <LessonOptions />
        <RunList />
      </>
    ),
  },
  {
    title: 'Compare the curves',
    text: (
      <>
        Same axes, same scale, both runs. Look at how fast each loss falls and how high each accuracy climbs: with skips the deep net learns; without them it lags far behind (chance is 10%
        for ten digits). The table holds the final figures on test digits the nets never saw.
      </>
    ),
    view: () => (
      <>
        <CompareCharts />
        <FinalFigures />
      </>
    ),
  },
  {
    title: 'Why: gradients by depth',
    text: (
      <>
        The size of the gradient that reaches each layer, input on the left, on a log scale. In the plain net it shrinks layer after layer — by the first layers almost nothing is left to learn from:
        the <b>vanishing gradient</b>. The skips carry the gradient back unchanged, so every layer of the residual net learns. Press ▶ to watch it over the epochs.
      </>
    ),
    view: () => <GradientChart height={220} />,
  },
  {
    title: 'What each layer sees',
    text: (
      <>
        Click any edge on the canvas: these are the values that flow along it for one test digit (pick another below). Switch between the two runs with the run picker: how strong and how varied are
        the deep layers' signals in each? The prediction beside the digit says what each net makes of it.
      </>
    ),
    action: { label: 'Show the first hidden layer', testId: 'lesson-pick-edge', run: pickFirstHiddenEdge },
    view: () => <LayerView />,
  },
  {
    title: 'The landscape the optimiser walks',
    text: (
      <>
        The loss around the trained weights, along two random directions (Li et al., 2018). Li et al. found deep nets with skips in smooth, round basins and their plain twins on chaotic,
        rugged surfaces that are hard to walk down. Compare the two maps, computed from your own two runs.
      </>
    ),
    action: { label: 'Compute both landscapes', testId: 'lesson-landscapes', run: landscapesForAll },
    view: () => <LandscapeView />,
  },
];

export function Lesson({ steps, testId, title }: { steps: LessonStep[]; testId: string; title: string }) {
  const index = useLab((s) => s.lessonStep);
  const set = useLab((s) => s.set);
  const i = Math.min(index, steps.length - 1);
  const step = steps[i]!;
  return (
    <div className="nw-lab-lesson" data-testid={testId} data-step={i}>
      <div className="nw-row nw-between">
        <div className="nw-section-title">{title}</div>
        <div className="nw-lab-dots">
          {steps.map((s, k) => (
            <button key={k} className={`nw-lab-dot${k === i ? ' is-active' : ''}`} onClick={() => set({ lessonStep: k })} title={s.title} data-testid={`lesson-dot-${k}`}>
              {k + 1}
            </button>
          ))}
        </div>
      </div>
      <h3 className="nw-lab-step-title" data-testid="lesson-step-title">
        {i + 1}. {step.title}
      </h3>
      <p className="nw-lab-step-text">{step.text}</p>
      <div className="nw-row">
        {step.action && (
          <button className="nw-button primary" onClick={() => void step.action!.run()} data-testid={step.action.testId}>
            {step.action.label}
          </button>
        )}
        <span className="nw-grow" />
        <button className="nw-button" disabled={i === 0} onClick={() => set({ lessonStep: i - 1 })} data-testid="lesson-back">
          ← Back
        </button>
        <button className="nw-button" disabled={i === steps.length - 1} onClick={() => set({ lessonStep: i + 1 })} data-testid="lesson-next">
          Next →
        </button>
      </div>
      {step.view && <div className="nw-lab-step-view">{step.view()}</div>}
    </div>
  );
}
