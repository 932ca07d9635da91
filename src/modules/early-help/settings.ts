import { AccessDeniedError, BusinessRuleError } from '../../kernel/errors.ts';
import { DEFAULT_SETTINGS, type EarlyHelpSettings } from './early-help.ts';
import { recordChange, type Db, type ServiceContext, saveVersioned } from '../../kernel/service/index.ts';

/** An authority's early help settings (review interval, assessment timescale, follow-up, re-contact window), or the defaults. */
export async function earlyHelpSettings(
  db: Db,
  localAuthorityId: string,
): Promise<EarlyHelpSettings & { version: number | null }> {
  const row = await db
    .selectFrom('earlyHelpSettings')
    .select([
      'reviewIntervalWeeks',
      'assessmentWorkingDays',
      'followUpMonths',
      'recontactWindowMonths',
      'version',
    ])
    .where('localAuthorityId', '=', localAuthorityId)
    .executeTakeFirst();
  return row ?? { ...DEFAULT_SETTINGS, version: null };
}

/** Changes an authority's settings ('early-help:oversee', for an authority the manager works for). */
export async function saveEarlyHelpSettings(
  ctx: ServiceContext,
  input: Omit<EarlyHelpSettings, 'recontactWindowMonths'> & {
    recontactWindowMonths?: number | undefined;
    localAuthorityId: string;
    version?: number | undefined;
  },
): Promise<void> {
  const { db: trx, user, now } = ctx;
  if (!user.permissions.has('early-help:oversee')) throw new AccessDeniedError('early-help:oversee');
  if (!user.localAuthorityIds.includes(input.localAuthorityId))
    throw new BusinessRuleError('localAuthorityId', 'Choose a local authority you work for');
  const existing = await trx
    .selectFrom('earlyHelpSettings')
    .select(['version', 'recontactWindowMonths'])
    .where('localAuthorityId', '=', input.localAuthorityId)
    .executeTakeFirst();
  const recontactWindowMonths =
    input.recontactWindowMonths ?? existing?.recontactWindowMonths ?? DEFAULT_SETTINGS.recontactWindowMonths;
  if (!Number.isInteger(recontactWindowMonths) || recontactWindowMonths < 1 || recontactWindowMonths > 24)
    throw new BusinessRuleError('recontactWindowMonths', 'The re-contact window must be from 1 to 24 months');
  const values = {
    reviewIntervalWeeks: input.reviewIntervalWeeks,
    assessmentWorkingDays: input.assessmentWorkingDays,
    followUpMonths: input.followUpMonths,
    recontactWindowMonths,
    updatedAt: now,
    updatedBy: user.id,
  };
  await saveVersioned(
    trx,
    {
      table: 'earlyHelpSettings',
      key: 'localAuthorityId',
      id: input.localAuthorityId,
      version: existing ? (input.version ?? existing.version) : 0,
      conflict: 'Someone else changed these settings while you were editing them. Check them and save again.',
    },
    values,
  );
  await recordChange(ctx, {
    audit: {
      action: 'early-help-settings.changed',
      subjectType: 'local-authority',
      subjectId: input.localAuthorityId,
      details: {
        reviewIntervalWeeks: input.reviewIntervalWeeks,
        assessmentWorkingDays: input.assessmentWorkingDays,
        followUpMonths: input.followUpMonths,
        recontactWindowMonths,
      },
    },
  });
}
