import type { Alert } from '../../../../shared/index';

/** Which signals beyond the toast a critical alert gives; both off until the user turns them on. */
export interface AlertSignalPrefs {
  /** A browser notification (shows while the page is in another tab or window). */
  notify: boolean;
  /** A short beep. */
  sound: boolean;
}

/** Where the choice is remembered (localStorage). */
export const ALERT_SIGNALS_KEY = 'livedesk.alert-signals';

export const NO_SIGNALS: AlertSignalPrefs = { notify: false, sound: false };

/** Reads the remembered choice; anything missing or unreadable counts as off. */
export function parsePrefs(text: string | null): AlertSignalPrefs {
  if (!text) return NO_SIGNALS;
  try {
    const value = JSON.parse(text) as Partial<Record<keyof AlertSignalPrefs, unknown>> | null;
    return { notify: value?.notify === true, sound: value?.sound === true };
  } catch {
    return NO_SIGNALS;
  }
}

/** What the browser lets the page do with notifications; `unsupported` where there is no Notification API. */
export type NotifyPermission = NotificationPermission | 'unsupported';

/** What the notifications switch says when the browser does not allow them, or null when it does. */
export function permissionProblem(permission: NotifyPermission): string | null {
  switch (permission) {
    case 'granted':
      return null;
    case 'denied':
      return "Notifications are blocked for this page: allow them in the browser's site settings, then turn them on here.";
    case 'unsupported':
      return 'This browser cannot show notifications.';
    default:
      return 'The browser did not allow notifications.';
  }
}

/** A critical alert as a browser notification; the tag keeps one notification per alert. */
export function notificationFor(alert: Alert, price: string): { title: string; options: NotificationOptions } {
  return {
    title: `Critical · ${alert.symbol} ${price}`,
    options: { body: alert.message, tag: `livedesk-alert-${alert.id}`, requireInteraction: false },
  };
}

/** At most this many notifications for one batch of arrivals; the header count has them all. */
export const MAX_NOTIFICATIONS_AT_ONCE = 3;
