import { z } from 'zod';
import { laCodeSchema } from '../../kernel/identifiers/index.ts';
import { choice, optionalText, requiredText, yesNo } from '../../kernel/forms/fields.ts';
import { idList, optionalEmailField, optionalId, versionField } from './form-fields.ts';

export const AGENCY_KINDS = [
  'police',
  'health',
  'school',
  'camhs',
  'probation',
  'housing',
  'voluntary',
  'early-years',
  'other',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];
export const AGENCY_KIND_LABELS: Record<AgencyKind, string> = {
  police: 'Police',
  health: 'Health',
  school: 'School or college',
  camhs: 'Child and adolescent mental health services (CAMHS)',
  probation: 'Probation',
  housing: 'Housing',
  voluntary: 'Voluntary or community sector',
  'early-years': 'Early years or childcare',
  other: 'Other',
};

/** Funded posts (FTE, up to one decimal place), optional: blank means not recorded. */
const fundedPosts = z
  .preprocess((v) => {
    const s = (Array.isArray(v) ? v[0] : v) as unknown;
    return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
  }, z.string().optional())
  .superRefine((v, ctx) => {
    if (v === undefined) return;
    if (!/^\d{1,4}(\.\d)?$/.test(v))
      ctx.addIssue({
        code: 'custom',
        message: 'Funded posts must be a number with no more than 1 decimal place, like 6.5',
      });
  })
  .transform((v) => (v === undefined ? undefined : Number(v)));

const teamShape = {
  name: requiredText('Enter the team’s name', 200, 'Team name must be 200 characters or fewer'),
  serviceId: optionalId('Select a service from the list'),
  parentTeamId: optionalId('Select a team from the list'),
  clusterId: optionalId('Select a cluster from the list'),
  managerUserId: optionalId('Select a manager from the list'),
  fundedPosts,
};

export const newTeamForm = z.object({
  localAuthorityId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.uuid({ message: 'Select the local authority' }),
  ),
  ...teamShape,
});
export const editTeamForm = z.object({ ...teamShape, version: versionField });

const clusterShape = {
  name: requiredText('Enter the cluster’s name', 200, 'Cluster name must be 200 characters or fewer'),
  description: optionalText(1000, 'Description must be 1000 characters or fewer'),
};
export const newClusterForm = z.object({
  localAuthorityId: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.uuid({ message: 'Select the local authority' }),
  ),
  ...clusterShape,
});
export const editClusterForm = z.object({ ...clusterShape, version: versionField });

const agencyShape = {
  name: requiredText('Enter the agency’s name', 200, 'Agency name must be 200 characters or fewer'),
  kind: choice(AGENCY_KINDS, 'Select the kind of agency'),
  code: optionalText(50, 'Code must be 50 characters or fewer'),
  email: optionalEmailField(),
  localAuthorityIds: idList('Select local authorities from the list'),
};
export const newAgencyForm = z.object(agencyShape);
export const editAgencyForm = z.object({ ...agencyShape, version: versionField });

const laShape = {
  name: requiredText('Enter the local authority’s name', 200, 'Name must be 200 characters or fewer'),
  staffReadByDefault: yesNo(
    'Select whether children’s services staff can read unrestricted records by default',
  ),
};
export const newLocalAuthorityForm = z.object({
  laCode: z.preprocess((v) => (typeof v === 'string' ? v : undefined), laCodeSchema),
  ...laShape,
});
export const editLocalAuthorityForm = z.object({ ...laShape, version: versionField });

export const revokeGrantForm = z.object({
  reason: requiredText(
    'Enter why the access is being revoked',
    1000,
    'Reason must be 1000 characters or fewer',
  ),
});
