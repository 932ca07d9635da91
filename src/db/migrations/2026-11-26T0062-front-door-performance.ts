import { sql, type Kysely } from 'kysely';

// Indexes for the front-door performance page (src/modules/front-door/performance.repository.ts): information
// requests by when they were sent (turnaround by agency), and decisions by who made them (consistency between
// workers). Contacts by authority and time received, children by person and live decisions by contact are
// indexed already (2026-11-26T0031, T0034).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index information_requests_requested_idx on information_requests (requested_at)`.execute(
    db,
  );
  await sql`create index contact_decisions_decided_by_idx on contact_decisions (decided_by) where status <> 'sent-back'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
