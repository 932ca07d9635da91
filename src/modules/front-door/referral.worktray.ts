import type { WorktrayItem, WorktrayProvider } from '../home/index.ts';
import { sectionPath } from './paths.ts';
import { unsentDrafts } from './referral.service.ts';

/**
 * A partner user's referrals they have started but not sent, on their home page: each links back to the first
 * question still to answer (or to check your answers). Drafts have no deadline; they stay until sent or deleted.
 */
export const referralDraftsWorktray: WorktrayProvider = async (ctx) => {
  if (!ctx.user.permissions.has('referral:submit') || !ctx.user.agencyId) return [];
  const drafts = await unsentDrafts(ctx.db, ctx.user.id);
  return drafts.map((d): WorktrayItem => ({
    kind: 'referral-draft',
    kindLabel: 'Referral not sent yet',
    title: d.childNames.length
      ? `Referral about ${d.childNames.join(', ')}`
      : 'Referral (no children added yet)',
    href: sectionPath(d.resumeAt ?? 'check', d.id),
    clockLabel: d.missing
      ? `${d.missing} question${d.missing === 1 ? '' : 's'} still to answer`
      : 'Ready to check and send',
  }));
};
