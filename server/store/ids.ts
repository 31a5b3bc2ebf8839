/**
 * Makes item ids from the commit's event id, so they are unique for as long as event ids are
 * (across restarts too). Several items of one commit get a suffix.
 */
export function idMaker(eventId: number) {
  const base = eventId.toString(36);
  let n = 0;
  return (prefix: string) => `${prefix}-${base}${n++ === 0 ? '' : `.${n - 1}`}`;
}
