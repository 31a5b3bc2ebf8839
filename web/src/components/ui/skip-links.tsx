import type { MouseEvent } from 'react';

/** The id of the page's <main>, in every state (sign-in, checking, the desk): the first skip link's target. */
export const MAIN_ID = 'main';

export interface SkipLink {
  /** The id of the element to move focus to; it must be focusable (a tabIndex of -1 will do). */
  target: string;
  label: string;
}

/**
 * "Skip to …" links: the first tab stops on the page, hidden until focused. Following one moves
 * focus to its target, so the next Tab continues from there instead of from the header.
 */
export function SkipLinks({ links }: { links: readonly SkipLink[] }) {
  function follow(event: MouseEvent<HTMLAnchorElement>, target: string) {
    const element = document.getElementById(target);
    if (!element) return;
    // Focus (which also scrolls it into view) without adding a #fragment to the address bar.
    event.preventDefault();
    element.focus();
  }
  return (
    <nav className="skip-links" aria-label="Skip links" data-testid="skip-links">
      {links.map((link) => (
        <a key={link.target} className="skip-link" href={`#${link.target}`} onClick={(e) => follow(e, link.target)} data-testid={`skip-${link.target}`}>
          {link.label}
        </a>
      ))}
    </nav>
  );
}
