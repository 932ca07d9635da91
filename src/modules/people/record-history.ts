import type { Expression } from 'kysely';
import type { Permission } from '../../kernel/access/index.ts';
import type { Db } from '../../kernel/service/index.ts';

/**
 * The child's record lists every contact, referral and episode about them, open or finished (issue 18, item 6: a
 * record you can move through). Each module that holds such work exports a `RecordHistorySource` from its index.ts
 * (the front door's contacts, social care's referrals and episodes, early help's episodes); src/modules/index.ts
 * lists them (`recordHistorySources`), read when the page is shown (a dynamic import, as for the summary providers).
 */
export interface RecordHistoryRow {
  /** The source's `kind`. */
  kind: string;
  id: string;
  reference: string;
  /** 'YYYY-MM-DD': received, referred or opened. */
  startedOn: string;
  /** 'YYYY-MM-DD' when it ended (closed, completed), or null while open. */
  endedOn: string | null;
  /** The source's own status code, named by `statusLabel`. */
  status: string;
}

export interface RecordHistorySource {
  kind: string;
  /** What one row is called ("Contact", "Referral and children in need episode"). */
  label: string;
  /** The child's rows, with exactly the columns of RecordHistoryRow: one indexed query on the source's tables. */
  query: (db: Db, childId: string) => Expression<RecordHistoryRow>;
  statusLabel: (status: string) => string;
  /** The permission needed to open the row's page: without it the row is listed without its link. */
  openWith: Permission;
  link: (id: string) => string;
}
