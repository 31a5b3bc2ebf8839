import { useEffect } from 'react';

/** Sets the tab title while mounted, and puts the previous one back after. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    const before = document.title;
    document.title = title;
    return () => {
      document.title = before;
    };
  }, [title]);
}
