import { Component, Suspense, type ErrorInfo, type ReactNode } from 'react';

interface LazyPartProps {
  /** What is loading, in words: "the controls", "the chart". */
  what: string;
  /** Shown while the part's code loads; the part's own frame, so nothing moves when it arrives. */
  fallback: ReactNode;
  /** Wraps the error line in the part's frame, as `fallback` does. */
  frame?: (children: ReactNode) => ReactNode;
  children: ReactNode;
}

/**
 * A part of the page whose code is loaded on first render (`React.lazy`): its fallback while it
 * loads, and one line with a reload button if it cannot load (offline, or the desk was rebuilt and
 * no longer has the file), instead of unmounting the whole page.
 */
export function LazyPart({ what, fallback, frame = (children) => children, children }: LazyPartProps) {
  return (
    <LoadBoundary what={what} frame={frame}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </LoadBoundary>
  );
}

interface BoundaryProps {
  what: string;
  frame: (children: ReactNode) => ReactNode;
  children: ReactNode;
}

class LoadBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`${this.props.what} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return this.props.frame(
      <p className="state state-error" role="alert" data-testid="lazy-part-error">
        {this.props.what} could not be loaded ({this.state.error.message}).{' '}
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => location.reload()}>
          Reload the page
        </button>
      </p>,
    );
  }
}
