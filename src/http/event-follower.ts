/**
 * @module http/event-follower — one client of /api/events/stream, from where it left off to live.
 *
 * Nothing is queued per client. While the client keeps up, events come from the shared tail
 * as they are raised. A client that is behind — it reconnected with Last-Event-ID, or a burst
 * (a 10,000-event round) filled its socket — reads from the database instead, page by page,
 * each message written only once the socket has room, and rejoins the tail when it has caught
 * up. So a burst never drops a healthy reader and never grows memory for a slow one; a client
 * that stops reading is dropped by the stream's own bound (it reconnects and loses nothing).
 */
import type { EventStore, StoredEvent } from '../store/index.js';
import type { StreamWriter } from './event-streams.js';
import type { EventTail } from './events-tail.js';

const PAGE = 500;
/** A catch-up reads at most this many pages before it rechecks that the client still exists (retention bounds them anyway). */
const MAX_PAGES = 10_000;

export class EventFollower {
  /** The last seq this client has been given (or skipped, when filtered out). */
  private cursor: number;
  private catchingUp = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly tail: EventTail,
    private readonly writer: StreamWriter,
    private readonly matches: (row: StoredEvent) => boolean,
    from: number,
  ) {
    this.cursor = from;
  }

  /** Starts following: first what was missed after `from` (if anything), then live. */
  start(): void {
    this.unsubscribe = this.tail.subscribe((row) => this.onLive(row));
    this.writer.onClose(() => this.unsubscribe?.());
    if (this.tail.position > this.cursor) void this.catchUp();
  }

  private onLive(row: StoredEvent): void {
    if (this.catchingUp || row.seq <= this.cursor) return;
    if (this.writer.pressed) {
      // The socket is full: stop taking from the tail, read the rest from the store at the client's pace.
      void this.catchUp();
      return;
    }
    this.write(row);
  }

  private write(row: StoredEvent): void {
    this.cursor = row.seq;
    if (this.matches(row)) this.writer.send(`id: ${row.seq}\nevent: condition_met\ndata: ${JSON.stringify(row.event)}\n\n`);
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (let page = 0; page < MAX_PAGES && !this.writer.closed; page++) {
        const rows = await this.events.after(this.cursor, PAGE);
        for (const row of rows) {
          if (this.writer.pressed && !(await this.writer.drained())) return;
          if (row.seq > this.cursor) this.write(row);
        }
        // Caught up when the store has nothing more and the tail has not passed us meanwhile
        // (what it delivered while we read was ignored above): checked and switched at once.
        if (rows.length < PAGE && this.tail.position <= this.cursor) return;
      }
      this.writer.drop(); // more behind than any retention allows: let it reconnect
    } finally {
      this.catchingUp = false;
    }
  }
}
