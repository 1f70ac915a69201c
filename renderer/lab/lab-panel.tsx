import './lab.css';
import { CompareView } from './compare-view';
import { ConvLesson } from './conv-lesson';
import { GradientChart } from './gradient-chart';
import { openPlainTwin } from './lab-actions';
import type { LabView } from './lab-store';
import { useLab } from './lab-store';
import { LandscapeView } from './landscape-view';
import { LayerView } from './layer-view';
import { Lesson, skipLessonSteps } from './skip-lesson';

const views: { id: LabView; label: string; title: string }[] = [
  { id: 'lesson', label: 'Lesson', title: 'Why skip connections matter' },
  { id: 'compare', label: 'Compare', title: 'Runs side by side' },
  { id: 'gradients', label: 'Gradients', title: 'Gradient norm by depth' },
  { id: 'layer', label: 'Layer', title: 'What an edge carries for one test example' },
  { id: 'landscape', label: 'Landscape', title: 'Loss landscape' },
  { id: 'conv', label: 'Convolution', title: 'How convolution and pooling compute' },
];

/** The teaching lab: lessons, runs compared, gradients, activations, loss landscape. */
export function LabPanel() {
  const view = useLab((s) => s.view);
  const set = useLab((s) => s.set);
  return (
    <div className="nw-lab" data-testid="lab-panel" data-view={view}>
      <div className="nw-lab-views" role="tablist">
        {views.map((v) => (
          <button key={v.id} role="tab" aria-selected={v.id === view} className={`nw-lab-view${v.id === view ? ' is-active' : ''}`} onClick={() => set({ view: v.id })} title={v.title} data-testid={`lab-view-${v.id}`}>
            {v.label}
          </button>
        ))}
      </div>
      <div className="nw-row nw-lab-toolbar">
        <button className="nw-button small" onClick={openPlainTwin} title="A copy of this graph without its skip connections, beside the canvas (Alt+T)" data-testid="lab-plain-twin">
          Make plain twin
        </button>
      </div>
      <section className="nw-section">
        {view === 'lesson' && <Lesson steps={skipLessonSteps} testId="skip-lesson" title="Why skip connections matter" />}
        {view === 'compare' && <CompareView />}
        {view === 'gradients' && <GradientChart height={240} />}
        {view === 'layer' && <LayerView />}
        {view === 'landscape' && <LandscapeView />}
        {view === 'conv' && <ConvLesson />}
      </section>
    </div>
  );
}
