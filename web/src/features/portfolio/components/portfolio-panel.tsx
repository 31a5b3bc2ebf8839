import type { ReactNode } from 'react';
import type { Portfolio } from '../../../../../shared/index';
import { FlashValue } from '../../../components/ui/flash-value';
import { Panel, StreamState } from '../../../components/ui/panel';
import { formatClock, formatMoney, formatSigned, signClass } from '../../../lib/format';
import { useLivePortfolio } from '../hooks/use-live-portfolio';

const FIGURES = [
  { key: 'equity', label: 'Equity', signed: false },
  { key: 'cash', label: 'Cash', signed: false },
  { key: 'positionsValue', label: 'Positions', signed: false },
  { key: 'unrealizedPnl', label: 'Unrealized P&L', signed: true },
  { key: 'realizedPnl', label: 'Realized P&L', signed: true },
  // Counted from the desk's starting cash, across restarts; the UTC day's P&L is the curve's.
  { key: 'dayPnl', label: 'Total P&L', signed: true },
] as const;

interface PortfolioPanelProps {
  /** Shown beside the figures with the live portfolio (the board puts the equity curve there). */
  aside?: (portfolio: Portfolio | undefined) => ReactNode;
}

/** Equity, cash and P&L, flashing when they move. */
export function PortfolioPanel({ aside }: PortfolioPanelProps) {
  const { portfolio, ready, error, updatedAt } = useLivePortfolio();
  return (
    <Panel
      title="Portfolio"
      testId="panel-portfolio"
      className="area-portfolio"
      updatedAt={updatedAt}
      actions={portfolio ? <span className="muted">updated {formatClock(portfolio.updatedAt)}</span> : null}
    >
      <StreamState error={error} ready={ready} empty={!portfolio} emptyText="No portfolio yet." testId="portfolio">
        {portfolio ? (
          <div className="portfolio-body">
            <div className="kpis">
              {FIGURES.map(({ key, label, signed }) => {
                const value = portfolio[key];
                return (
                  <div className="kpi" key={key}>
                    <span className="kpi-label">{label}</span>
                    <FlashValue
                      value={value}
                      text={signed ? formatSigned(value) : formatMoney(value)}
                      className={`kpi-value ${signed ? signClass(value) : ''}`}
                      testId={`portfolio-${key}`}
                    />
                  </div>
                );
              })}
            </div>
            {aside?.(portfolio)}
          </div>
        ) : null}
      </StreamState>
    </Panel>
  );
}
