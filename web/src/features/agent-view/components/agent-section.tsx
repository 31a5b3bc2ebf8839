import type { ReactNode } from 'react';

/** One section of the agent view: a region named for assistive technology, with its heading. */
export function AgentSection({ title, label = title, children }: { title: string; label?: string; children: ReactNode }) {
  return (
    <section aria-label={label} className="agent-section">
      <h3 className="sub-head">{title}</h3>
      {children}
    </section>
  );
}
