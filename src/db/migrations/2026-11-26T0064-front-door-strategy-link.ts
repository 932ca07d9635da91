import { sql, type Kysely } from 'kysely';

// A strategy discussion held at the front door (strategy_discussions, on the contact) is the same meeting that
// children's social care counts from: the referral's episode gets a cp_strategy_discussions row for it, so a
// section 47 enquiry can start from it and the initial conference target (15 working days from the last strategy
// discussion) is counted from it. The link keeps one meeting one fact: the episode row names its source.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cp_strategy_discussions
            add column source_strategy_discussion_id uuid references strategy_discussions(id)`.execute(db);
  await sql`create unique index cp_strategy_discussions_source_idx
            on cp_strategy_discussions (source_strategy_discussion_id, episode_id)
            where source_strategy_discussion_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
