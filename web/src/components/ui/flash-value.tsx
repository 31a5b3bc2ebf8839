import { useRef } from 'react';
import { direction } from '../../lib/format';

interface FlashValueProps {
  value: number;
  text: string;
  className?: string;
  testId?: string;
}

/** A number that briefly flashes green or red when it moves. */
export function FlashValue({ value, text, className, testId }: FlashValueProps) {
  const previous = useRef<number | undefined>(undefined);
  const lastMove = useRef<{ dir: 'up' | 'down' | 'same'; n: number }>({ dir: 'same', n: 0 });
  const dir = direction(previous.current, value);
  if (dir !== 'same') lastMove.current = { dir, n: lastMove.current.n + 1 };
  previous.current = value;
  const move = lastMove.current;
  // Alternating between two identical animations restarts the flash without re-creating the node.
  const flash = move.n > 0 ? `flash-${move.dir}-${move.n % 2}` : '';
  return (
    <span className={`${className ?? ''} ${flash}`} data-testid={testId} data-value={value}>
      {text}
    </span>
  );
}
