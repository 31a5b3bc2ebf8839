import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alert } from '../../../../../shared/index';
import { createArrivalWatch } from '../alert-summary';

/** Toasts kept on screen at once; older ones give way (the header count still has them all). */
const MAX_TOASTS = 3;

/**
 * A toast for each critical alert that arrives while the page is open (`onArrive` hears of them
 * too, for the signals the user turned on). A toast stays until it is closed or its alert is no
 * longer active (dismissed, cleared), however long that takes.
 */
export function useAlertToasts(alerts: Alert[] | undefined, onArrive?: (arrived: Alert[]) => void) {
  const watch = useRef(createArrivalWatch<Alert>());
  const [toasts, setToasts] = useState<Alert[]>([]);
  const arriveRef = useRef(onArrive);
  useEffect(() => {
    arriveRef.current = onArrive;
  }, [onArrive]);
  useEffect(() => {
    if (!alerts) return;
    const arrived = watch.current.arrived(alerts).filter((a) => a.severity === 'critical');
    if (arrived.length > 0) arriveRef.current?.(arrived);
    const active = new Set(alerts.map((a) => a.id));
    setToasts((old) => {
      const kept = old.filter((t) => active.has(t.id));
      if (kept.length === old.length && arrived.length === 0) return old;
      return [...kept, ...arrived].slice(-MAX_TOASTS);
    });
  }, [alerts]);
  const close = useCallback((id: string) => setToasts((old) => old.filter((t) => t.id !== id)), []);
  return { toasts, close };
}
