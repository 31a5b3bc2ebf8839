/**
 * A short beep on `context`: a sine at `frequency` Hz for `durationMs`, faded in and out so it
 * does not click. No audio file: the page's CSP and its bundle stay as they are.
 */
export function beep(context: AudioContext, frequency = 880, durationMs = 180): void {
  const start = context.currentTime;
  const end = start + durationMs / 1000;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.2, start + 0.015);
  gain.gain.exponentialRampToValueAtTime(0.0001, end);
  oscillator.connect(gain).connect(context.destination);
  oscillator.onended = () => {
    oscillator.disconnect();
    gain.disconnect();
  };
  oscillator.start(start);
  oscillator.stop(end + 0.02);
}
