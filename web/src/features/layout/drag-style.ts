/** The id react-draggable looks for before it writes its text-selection rule into a new <style>. */
const SLOT_ID = 'react-draggable-style-el';

/**
 * react-draggable (under react-grid-layout) appends a `<style>` element on the first drag unless an
 * element with its id exists; the dashboard's `style-src 'self'` policy refuses such a style and
 * reports it. An empty placeholder with that id makes it skip the injection; the rule it wanted
 * (no selection highlight while dragging) is in styles.css. Returns the cleanup for an effect.
 */
export function keepDragSelectionStyleOutOfHead(): () => void {
  if (document.getElementById(SLOT_ID)) return () => undefined;
  const slot = document.createElement('meta');
  slot.id = SLOT_ID;
  document.head.append(slot);
  return () => slot.remove();
}
