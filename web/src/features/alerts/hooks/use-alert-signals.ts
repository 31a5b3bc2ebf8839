import { useCallback, useEffect, useRef, useState } from 'react';
import type { Alert } from '../../../../../shared/index';
import { beep } from '../../../lib/beep';
import { formatPrice } from '../../../lib/format';
import { ALERT_SIGNALS_KEY, MAX_NOTIFICATIONS_AT_ONCE, notificationFor, parsePrefs, permissionProblem, type AlertSignalPrefs, type NotifyPermission } from '../alert-signals';

const permissionNow = (): NotifyPermission => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission);

function readPrefs(): AlertSignalPrefs {
  try {
    return parsePrefs(localStorage.getItem(ALERT_SIGNALS_KEY));
  } catch {
    return parsePrefs(null);
  }
}

/** A beep asked for while the audio is still suspended plays only if the browser lets it start this soon. */
const LATE_BEEP_MS = 1_000;

/**
 * Browser notifications and a beep for critical alerts, both off until the user turns them on (the
 * choice is remembered in localStorage). Turning notifications on asks the browser's permission;
 * turning sound on beeps once, from the click, which also lets the page's audio start.
 */
export function useAlertSignals() {
  const [prefs, setPrefs] = useState(readPrefs);
  const [problem, setProblem] = useState<string | null>(null);
  const prefsRef = useRef(prefs);
  const audio = useRef<AudioContext | null>(null);
  useEffect(() => () => void audio.current?.close().catch(() => undefined), []);

  const save = useCallback((next: AlertSignalPrefs) => {
    prefsRef.current = next;
    setPrefs(next);
    try {
      localStorage.setItem(ALERT_SIGNALS_KEY, JSON.stringify(next));
    } catch {
      // private windows may refuse storage: the choice then lasts as long as the page
    }
  }, []);

  const audioContext = useCallback((): AudioContext | null => {
    if (audio.current) return audio.current;
    if (typeof AudioContext === 'undefined') return null;
    audio.current = new AudioContext();
    return audio.current;
  }, []);

  const setNotify = useCallback(
    async (on: boolean) => {
      setProblem(null);
      if (!on) return save({ ...prefsRef.current, notify: false });
      const before = permissionNow();
      const permission = before === 'default' ? await Notification.requestPermission() : before;
      const refused = permissionProblem(permission);
      if (refused) return setProblem(refused);
      save({ ...prefsRef.current, notify: true });
    },
    [save],
  );

  const setSound = useCallback(
    (on: boolean) => {
      setProblem(null);
      if (on) {
        const context = audioContext();
        if (!context) return setProblem('This browser cannot play sound.');
        void context.resume().then(() => beep(context));
      }
      save({ ...prefsRef.current, sound: on });
    },
    [audioContext, save],
  );

  /** Gives the signals the user turned on for critical alerts that just arrived. */
  const signal = useCallback(
    (arrived: readonly Alert[]) => {
      if (arrived.length === 0) return;
      const { notify, sound } = prefsRef.current;
      if (notify && permissionNow() === 'granted') {
        for (const alert of arrived.slice(0, MAX_NOTIFICATIONS_AT_ONCE)) {
          const { title, options } = notificationFor(alert, formatPrice(alert.price));
          try {
            new Notification(title, options);
          } catch {
            // some mobile browsers only notify through a service worker; the toast still shows
          }
        }
      }
      const context = sound ? audioContext() : null;
      if (!context) return;
      if (context.state === 'running') return beep(context);
      // After a reload the audio waits for the user's first click on the page (the browser's
      // autoplay rule); a beep that would only sound long after its alert is left out.
      const asked = performance.now();
      void context.resume().then(() => {
        if (performance.now() - asked < LATE_BEEP_MS) beep(context);
      });
    },
    [audioContext],
  );

  const notifying = prefs.notify && permissionNow() === 'granted';
  return { notifying, sound: prefs.sound, problem, dismissProblem: () => setProblem(null), setNotify, setSound, signal };
}
