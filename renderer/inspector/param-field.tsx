import { useEffect, useState } from 'react';
import type { ParamSpec } from '../../graph-schema/params';
import { editorStore } from '../store/use-editor';
import { formatParamValue, parseParamText, rangeHint } from './param-text';
import { TipFormula, useTooltip } from '../ui/tooltip';

/** The layer a field belongs to, for its tooltip: the formulas the parameter enters, with this node's numbers. */
export interface ParamTip {
  layer: string;
  formulas?: { output?: string; params?: string } | undefined;
  worked?: { output?: string; params?: string } | undefined;
}

interface ParamFieldProps {
  name: string;
  spec: ParamSpec;
  value: unknown;
  readOnly?: boolean;
  /** Called with every valid value while typing, so the canvas shows the effect at once. */
  onChange(value: unknown): void;
  onFocusChange?(focused: boolean): void;
  /** An error the graph reports for this parameter (e.g. a kernel that does not fit). */
  graphError?: string | null;
  /** Test id and element id prefix: 'param' in the inspector. */
  idPrefix?: string;
  tip?: ParamTip;
}

function ParamTipContent({ name, spec, tip }: { name: string; spec: ParamSpec; tip: ParamTip | undefined }) {
  const hint = rangeHint(spec);
  const fallback = `${spec.label} of ${tip?.layer ?? 'this layer'}${spec.unit ? `, in ${spec.unit}` : ''}.`;
  return (
    <>
      <div className="nw-tip-title">
        {spec.label} <span className="nw-tip-kind nw-mono">{name}</span>
      </div>
      <div className="nw-tip-text" data-testid="tooltip-summary">
        {spec.help ?? fallback}
      </div>
      <div className="nw-tip-hint">
        Default {formatParamValue(spec, spec.default)}
        {hint ? ` · ${hint}` : ''}
        {spec.type === 'enum' ? ` · one of ${spec.options.join(', ')}` : ''}
      </div>
      {tip?.formulas?.output && <TipFormula label="Output" formula={tip.formulas.output} worked={tip.worked?.output} testId="tooltip-formula-output" />}
      {tip?.formulas?.params && <TipFormula label="Parameters" formula={tip.formulas.params} worked={tip.worked?.params} testId="tooltip-formula-params" />}
    </>
  );
}

/** One inspector field, generated from the parameter's spec. */
export function ParamField({ name, spec, value, readOnly, onChange, onFocusChange, graphError, idPrefix = 'param', tip }: ParamFieldProps) {
  const { anchor, tooltip } = useTooltip(() => <ParamTipContent name={name} spec={spec} tip={tip} />, 'left');
  const shown = formatParamValue(spec, value);
  const [text, setText] = useState(shown);
  const [focused, setFocused] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // Follow outside changes (undo, another node) unless the user is typing here.
  useEffect(() => {
    if (!focused) {
      setText(shown);
      setProblem(null);
    }
  }, [shown, focused]);

  const id = `${idPrefix}-${name}`;
  const hint = rangeHint(spec);
  const focus = (on: boolean) => {
    setFocused(on);
    onFocusChange?.(on);
    if (!on) {
      setText(shown);
      setProblem(null);
      editorStore.getState().sealHistory();
    }
  };

  let control;
  if (spec.type === 'bool') {
    control = (
      <label className="nw-switch">
        <input id={id} type="checkbox" checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} data-testid={id} />
        <span>{value === true ? 'on' : 'off'}</span>
      </label>
    );
  } else if (spec.type === 'enum') {
    control = (
      <select id={id} className="nw-input" value={String(value)} disabled={readOnly} onChange={(e) => onChange(e.target.value)} data-testid={id}>
        {spec.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <div className="nw-field-input">
        <input
          id={id}
          className={`nw-input${problem ? ' is-invalid' : ''}`}
          value={text}
          readOnly={readOnly}
          spellCheck={false}
          inputMode={spec.type === 'float' ? 'decimal' : 'numeric'}
          aria-invalid={problem ? true : undefined}
          data-testid={id}
          onFocus={() => focus(true)}
          onBlur={() => focus(false)}
          onChange={(e) => {
            setText(e.target.value);
            const parsed = parseParamText(name, spec, e.target.value);
            if (parsed.ok) {
              setProblem(null);
              onChange(parsed.value);
            } else setProblem(parsed.message);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            if (e.key === 'Escape') {
              setText(shown);
              setProblem(null);
              (e.target as HTMLInputElement).blur();
            }
          }}
        />
        {spec.unit && <span className="nw-unit">{spec.unit}</span>}
      </div>
    );
  }

  return (
    <div className={`nw-field${graphError ? ' has-graph-error' : ''}`}>
      <label className="nw-field-label" htmlFor={id} data-testid={`${idPrefix}-label-${name}`} onMouseEnter={anchor.onMouseEnter} onMouseLeave={anchor.onMouseLeave}>
        <span className="nw-field-label-text">{spec.label}</span>
        {hint && spec.type !== 'bool' && spec.type !== 'enum' && <span className="nw-field-range">{hint}</span>}
      </label>
      {control}
      {problem && (
        <div className="nw-field-error" data-testid={`${idPrefix}-error-${name}`}>
          {problem}
        </div>
      )}
      {!problem && graphError && (
        <div className="nw-field-error" data-testid={`${idPrefix}-error-${name}`}>
          {graphError}
        </div>
      )}
      {spec.help && <div className="nw-field-help">{spec.help}</div>}
      {tooltip}
    </div>
  );
}
