import { useId } from 'react';
import type { FeedFilter } from '../../lib/feed-filter';

interface FeedFilterBarProps {
  /** Names the controls in test ids: `<id>-filter-agent`, `<id>-filter-symbol`. */
  id: string;
  value: FeedFilter;
  onChange: (value: FeedFilter) => void;
  agents: readonly string[];
  symbols: readonly string[];
}

/** Agent and symbol filters for a feed; the feed passes them to its subscription. */
export function FeedFilterBar({ id, value, onChange, agents, symbols }: FeedFilterBarProps) {
  const uid = useId();
  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <label htmlFor={`${uid}-agent`} className="sr-only">
        Agent
      </label>
      <input
        id={`${uid}-agent`}
        list={`${uid}-agents`}
        placeholder="agent"
        value={value.agentId}
        onChange={(e) => onChange({ ...value, agentId: e.target.value })}
        data-testid={`${id}-filter-agent`}
      />
      <datalist id={`${uid}-agents`}>
        {agents.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <label htmlFor={`${uid}-symbol`} className="sr-only">
        Symbol
      </label>
      <input
        id={`${uid}-symbol`}
        list={`${uid}-symbols`}
        placeholder="symbol"
        value={value.symbol}
        onChange={(e) => onChange({ ...value, symbol: e.target.value })}
        data-testid={`${id}-filter-symbol`}
        className="filter-symbol"
      />
      <datalist id={`${uid}-symbols`}>
        {symbols.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {value.agentId || value.symbol ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange({ agentId: '', symbol: '' })} data-testid={`${id}-filter-clear`}>
          Clear
        </button>
      ) : null}
    </div>
  );
}
