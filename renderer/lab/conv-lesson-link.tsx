import { showLab } from './lab-actions';

/** Layer kinds whose inspector links to the convolution lesson. */
export const convLessonKinds: ReadonlySet<string> = new Set(['Conv2D', 'MaxPooling2D', 'AveragePooling2D']);

export function ConvLessonLink() {
  return (
    <button className="nw-lab-link" onClick={() => showLab('conv')} data-testid="inspector-conv-lesson" title="Open the lesson: a 5×5 input, a 3×3 kernel, stride, padding and pooling, step by step">
      See it computed step by step →
    </button>
  );
}
