import { describe, expect, it } from 'vitest';
import { notificationFor, NO_SIGNALS, parsePrefs, permissionProblem } from './alert-signals';

describe('parsePrefs', () => {
  it('is off unless the user turned a signal on', () => {
    expect(parsePrefs(null)).toEqual(NO_SIGNALS);
    expect(parsePrefs('')).toEqual(NO_SIGNALS);
    expect(parsePrefs('{not json')).toEqual(NO_SIGNALS);
    expect(parsePrefs('null')).toEqual(NO_SIGNALS);
    expect(parsePrefs('{"notify":"yes","sound":1}')).toEqual(NO_SIGNALS);
    expect(parsePrefs('{"notify":true}')).toEqual({ notify: true, sound: false });
    expect(parsePrefs(JSON.stringify({ notify: false, sound: true }))).toEqual({ notify: false, sound: true });
  });
});

describe('permissionProblem', () => {
  it('says what to do when the browser does not allow notifications', () => {
    expect(permissionProblem('granted')).toBeNull();
    expect(permissionProblem('denied')).toMatch(/blocked.*site settings/);
    expect(permissionProblem('unsupported')).toMatch(/cannot show notifications/);
    expect(permissionProblem('default')).toMatch(/did not allow/);
  });
});

describe('notificationFor', () => {
  it('names the symbol and price in the title, the message in the body, one per alert', () => {
    const alert = { id: 'a7', ruleId: 'r1', symbol: 'MSFT', severity: 'critical' as const, message: 'MSFT above 400', price: 401.5, ts: 1 };
    expect(notificationFor(alert, '401.50')).toEqual({
      title: 'Critical · MSFT 401.50',
      options: { body: 'MSFT above 400', tag: 'livedesk-alert-a7', requireInteraction: false },
    });
  });
});
