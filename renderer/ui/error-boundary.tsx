import type { ErrorInfo, ReactNode } from 'react';
import { Component } from 'react';

interface Props {
  /** What this boundary guards, e.g. "the canvas". */
  area: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** Keeps one failing panel from taking the whole window down; offers to retry. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Netweave: ${this.props.area} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="nw-crash" role="alert" data-testid="error-boundary">
        <div className="nw-crash-title">Something went wrong in {this.props.area}.</div>
        <div className="nw-crash-message">
          <span className="nw-diag-code">ui-error</span> {this.state.error.message}
        </div>
        <div className="nw-muted">Your project is kept. Try again; if it keeps happening, save your work (Ctrl+S) and reload the window.</div>
        <button className="nw-button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
