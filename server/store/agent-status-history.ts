import type Database from 'better-sqlite3';
import type { StatusChange } from '../../shared/schema/agent-stats';
import type { Agent } from '../../shared/schema/agents';

/** Rows of one agent's journal a status history reads at most: bounded work whatever the journal holds. */
const SCAN_LIMIT = 5_000;

/**
 * An agent's status history, read from the journal's `agents` events (every upsert of the row):
 * the statuses it went through, newest first, one entry per change of status (cpu and memory
 * readings in between are not changes). Reads at most `SCAN_LIMIT` rows of the agent.
 */
export class AgentStatusHistory {
  private readonly upserts: Database.Statement<[string, number, number], { id: number; body: string }>;

  constructor(db: Database.Database) {
    this.upserts = db.prepare("SELECT id, body FROM events WHERE topic = 'agents' AND key = ? AND op = 'upsert' AND id <= ? ORDER BY id DESC LIMIT ?");
  }

  /** The agent's changes of status, newest first, at most `limit`, up to event `upTo` (default: all). */
  read(agentId: string, limit: number, upTo = Number.MAX_SAFE_INTEGER): StatusChange[] {
    const rows = this.upserts.all(agentId, upTo, SCAN_LIMIT).map((row) => ({ id: row.id, agent: JSON.parse(row.body) as Agent }));
    return statusChanges(rows, limit);
  }
}

/**
 * The changes of status in an agent's rows given newest first: each entry is the oldest row of a
 * run of one status (when it began), newest run first, at most `limit`.
 */
export function statusChanges(rows: ReadonlyArray<{ id: number; agent: Pick<Agent, 'status' | 'updatedAt'> }>, limit: number): StatusChange[] {
  const changes: StatusChange[] = [];
  for (let i = 0; i < rows.length && changes.length < limit; i++) {
    const row = rows[i]!;
    const older = rows[i + 1];
    if (older && older.agent.status === row.agent.status) continue;
    changes.push({ status: row.agent.status, since: row.agent.updatedAt, eventId: String(row.id) });
  }
  return changes;
}
