import { ROLE_PERMISSIONS, ROLES, type Role } from '../src/kernel/access/index.ts';

/**
 * The written-down access decision for every page: who may open it (GET), who gets 404 because the record is
 * not theirs, and (implicitly) 403 for every other role. The fixtures (authorisation-matrix.fixtures.ts) give
 * each :param a value: a Richmond child allocated to the demo social worker in the Assessment Team, etc.
 *
 * Adding a page? Add its line here. The matrix test fails until every registered page has one.
 */
export interface PageDecision {
  /** Anyone, signed in or not (checked as a visitor who is not signed in; `status` is what they get). */
  public?: boolean;
  /** Roles that get the page (status 200 unless `status` says otherwise). */
  allowed: Role[] | 'all';
  /** Roles whose permissions allow such pages but not this record: 404, the same as a missing record. */
  notFound?: Role[];
  /**
   * Roles that may read this record but not change it (held by another team or service): 403 with the reason, not
   * 404, because they saw the record a moment before.
   */
  readOnly?: Role[];
  /** Expected status for allowed roles when not 200 (e.g. a redirect). */
  status?: number;
}

/** The administration areas the brief asks for: users, teams, clusters, agencies, authorities, grants, audit. */
export const ADMINISTRATION_AREAS = [
  '/admin',
  '/admin/users',
  '/admin/users/new',
  '/admin/users/:userId',
  '/admin/users/:userId/edit',
  '/admin/users/:userId/roles',
  '/admin/users/:userId/disable',
  '/admin/users/:userId/enable',
  '/admin/users/:userId/unlock',
  '/admin/users/:userId/reset-password',
  '/admin/users/:userId/reset-two-factor',
  '/admin/users/:userId/sign-out-everywhere',
  '/admin/teams',
  '/admin/teams/new',
  '/admin/teams/:teamId/edit',
  '/admin/clusters',
  '/admin/clusters/new',
  '/admin/clusters/:clusterId/edit',
  '/admin/agencies',
  '/admin/agencies/new',
  '/admin/agencies/:agencyId',
  '/admin/agencies/:agencyId/edit',
  '/admin/local-authorities',
  '/admin/local-authorities/new',
  '/admin/local-authorities/:laId/edit',
  '/admin/grants',
  '/admin/grants/:grantId/revoke',
  '/admin/audit-trail',
  '/admin/audit-trail/export',
];

const STAFF_READERS: Role[] = [
  'contact-officer',
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
];

const SUPERVISORS: Role[] = ['mash-manager', 'team-manager', 'service-manager'];
const SUPERVISION_PEOPLE: Role[] = [
  'mash-practitioner',
  'early-help-practitioner',
  'social-worker',
  ...SUPERVISORS,
];

const PROFILE_OUTSIDERS: Role[] = [
  'contact-officer',
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'principal-social-worker',
  'qa-officer',
  'performance-analyst',
];

const FRONT_DOOR_SCREENERS: Role[] = ['contact-officer', 'mash-practitioner', 'mash-manager'];
const MASH: Role[] = ['mash-practitioner', 'mash-manager'];

const EARLY_HELP_READERS: Role[] = [
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'partner-lead-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
];
const EARLY_HELP_WRITERS: Role[] = ['early-help-practitioner', 'partner-lead-practitioner', 'team-manager'];
const EARLY_HELP_MANAGERS: Role[] = ['team-manager', 'service-manager'];

const SOCIAL_CARE_READERS: Role[] = [
  'mash-practitioner',
  'mash-manager',
  'social-worker',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
];
const SOCIAL_CARE_WRITERS: Role[] = ['social-worker', 'team-manager'];

const PERSON_CREATORS: Role[] = [
  'contact-officer',
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
];
const DOCUMENT_READERS: Role[] = STAFF_READERS.filter((r) => r !== 'contact-officer');
const PARTNER_REFERRERS: Role[] = ['partner-agency-user', 'partner-lead-practitioner'];
const RETURN_PRODUCERS: Role[] = ['service-manager', 'performance-analyst'];

const REPORT_READERS: Role[] = [
  'mash-manager',
  'team-manager',
  'service-manager',
  'principal-social-worker',
  'qa-officer',
  'performance-analyst',
];

const BREAK_GLASS: Role[] = [
  'mash-practitioner',
  'mash-manager',
  'early-help-practitioner',
  'social-worker',
  'team-manager',
  'service-manager',
];

export const MATRIX: Record<string, PageDecision> = {
  // Home and static pages
  '/': { allowed: 'all' },
  '/accessibility': { public: true, allowed: 'all' },
  '/privacy': { public: true, allowed: 'all' },
  '/api/docs': { public: true, allowed: 'all' },

  // Sign-in (public; signed-in users are sent on)
  '/sign-in': { public: true, allowed: 'all' },
  // Without a sign-in in progress (or OIDC configured) these send the visitor back to /sign-in.
  '/sign-in/two-factor': { public: true, allowed: 'all', status: 303 },
  '/sign-in/set-up-two-factor': { public: true, allowed: 'all', status: 303 },
  '/sign-in/oidc': { public: true, allowed: 'all', status: 303 },
  '/sign-in/oidc/callback': { public: true, allowed: 'all', status: 303 },
  '/sign-out': { public: true, allowed: 'all', status: 303 },
  '/account': { allowed: 'all' },
  '/account/sign-out-everywhere': { allowed: 'all' },
  '/account/overdue-digest': { allowed: 'all' },

  // Record access (the fixture child is allocated to the social worker in the Assessment Team)
  '/people/:personId/access-log': {
    allowed: ['mash-manager', 'team-manager', 'service-manager', 'principal-social-worker'],
  },
  '/people/:personId/restriction': {
    allowed: ['team-manager', 'service-manager'],
    readOnly: ['mash-manager'],
  },
  '/people/:personId/grants/new': {
    allowed: ['team-manager', 'service-manager'],
    readOnly: ['mash-manager'],
  },
  '/people/:personId/grants/:grantId/revoke': {
    allowed: ['team-manager', 'service-manager'],
    readOnly: ['mash-manager'],
  },
  '/people/break-glass': { allowed: BREAK_GLASS },
  '/record-access/break-glass-reviews': { allowed: ['mash-manager', 'team-manager', 'service-manager'] },
  '/record-access/break-glass-reviews/:breakGlassId': {
    allowed: ['team-manager', 'service-manager'],
    readOnly: ['mash-manager'],
  },

  // Administration: the system administrator only (who, in turn, has no access to children's records)
  ...Object.fromEntries(
    [
      ...ADMINISTRATION_AREAS,
      // Reference data: versioned form templates, the front door's settings and threshold continua
      '/admin/form-templates',
      '/admin/form-templates/:key/versions/:version',
      '/admin/form-templates/:key/new-version',
      '/admin/front-door-settings',
      '/admin/front-door-settings/continua/new',
      '/admin/front-door-settings/continua/:continuumId',
      // Partner systems' API credentials
      '/admin/api-clients',
      '/admin/api-clients/new',
      '/admin/api-clients/:apiClientId',
      '/admin/api-clients/:apiClientId/rotate-secret',
      '/admin/api-clients/:apiClientId/disable',
      // The email outbox (what was sent, to whom, and where it got to; never a body)
      '/admin/emails',
      // Letter templates and the letterhead (documents module)
      '/admin/letter-templates',
      '/admin/letter-templates/:kind',
      '/admin/letter-settings',
    ].map((path): [string, PageDecision] => [path, { allowed: ['system-administrator'] }]),
  ),

  // People and the child's record (the fixture child is allocated to the social worker in the Assessment Team:
  // other staff read it by the authority's default, but only the allocated line may change it)
  '/people': { allowed: STAFF_READERS },
  '/people/new': { allowed: PERSON_CREATORS },
  '/people/:personId': { allowed: STAFF_READERS },
  '/people/:personId/family': { allowed: STAFF_READERS },
  '/people/:personId/family-network': { allowed: STAFF_READERS },
  '/people/:personId/family-network/meetings/:networkMeetingId': { allowed: STAFF_READERS },
  // Agreeing and ending support for the family network is a manager's decision (allocation:manage)
  ...Object.fromEntries(
    [
      '/people/:personId/family-network/support/new',
      '/people/:personId/family-network/support/:packageId/end',
      '/people/:personId/family-network/support/:packageId/edit',
    ].map((path): [string, PageDecision] => [
      path,
      { allowed: ['team-manager', 'service-manager'], readOnly: ['mash-manager'] },
    ]),
  ),
  '/people/:personId/chronology': { allowed: STAFF_READERS },
  '/people/:personId/case-notes': { allowed: STAFF_READERS },
  '/people/:personId/voice': { allowed: STAFF_READERS },
  '/people/:personId/involvements': { allowed: STAFF_READERS },
  // Documents are not for the contact officer (screening works from the contact, not the file)
  '/people/:personId/documents': { allowed: DOCUMENT_READERS },
  // A letter about an event: those who may add documents open it; the fixture contact's decision is not authorised,
  // so there is no referrer's letter yet and they get 404 like any event without one.
  '/letters/:kind/:sourceType/:sourceId': {
    allowed: [],
    notFound: ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('document:upload')),
  },
  '/people/:personId/documents/:documentId': { allowed: DOCUMENT_READERS },
  ...Object.fromEntries(
    [
      '/people/:personId/edit',
      '/people/:personId/relationships/new',
      '/people/:personId/case-notes/new',
      '/people/:personId/documents/new',
      '/people/:personId/relationships/:relationshipId/edit',
      '/people/:personId/relationships/:relationshipId/end',
      '/people/:personId/households/:membershipId/end',
      '/people/:personId/names/:nameId/edit',
      '/people/:personId/family-network/new',
      '/people/:personId/family-network/:memberId/edit',
      '/people/:personId/family-network/:memberId/end',
      '/people/:personId/family-network/meetings/new',
      '/people/:personId/family-network/meetings/:networkMeetingId/actions/:networkActionId/done',
      '/people/:personId/family-network/meetings/:networkMeetingId/edit',
    ].map((path): [string, PageDecision] => [
      path,
      {
        allowed: ['social-worker', 'team-manager', 'service-manager'],
        readOnly: ['mash-practitioner', 'mash-manager', 'early-help-practitioner'],
      },
    ]),
  ),
  '/people/:personId/merge': { allowed: ['team-manager', 'service-manager'], readOnly: ['mash-manager'] },

  // Partners' online referral form: the fixture draft belongs to the police user (with a child and an adult), so the
  // school's lead practitioner, who may also refer, gets 404 for it; the fixture contact was recorded by the front
  // door, not submitted by a partner, so neither partner sees it among their referrals.
  '/referrals': { allowed: PARTNER_REFERRERS },
  '/referrals/new': { allowed: PARTNER_REFERRERS },
  ...Object.fromEntries(
    [
      '/referrals/drafts/:draftId/local-authority',
      '/referrals/drafts/:draftId/children/:position',
      '/referrals/drafts/:draftId/children/:position/remove',
      '/referrals/drafts/:draftId/adults',
      '/referrals/drafts/:draftId/adults/:position',
      '/referrals/drafts/:draftId/adults/:position/remove',
      '/referrals/drafts/:draftId/concerns',
      '/referrals/drafts/:draftId/what-happened',
      '/referrals/drafts/:draftId/urgency',
      '/referrals/drafts/:draftId/consent',
      '/referrals/drafts/:draftId/about-you',
      '/referrals/drafts/:draftId/check',
      '/referrals/drafts/:draftId/delete',
    ].map((path): [string, PageDecision] => [
      path,
      { allowed: ['partner-agency-user'], notFound: ['partner-lead-practitioner'] },
    ]),
  ),
  '/referrals/drafts/:draftId/children': {
    allowed: ['partner-agency-user'],
    notFound: ['partner-lead-practitioner'],
  },
  '/referrals/:contactId': { allowed: [], notFound: PARTNER_REFERRERS },
  '/referrals/:contactId/confirmation': { allowed: [], notFound: PARTNER_REFERRERS },

  // Front-door performance: managers, the principal social worker, QA and performance analysts (reports:view)
  '/front-door/performance': { allowed: REPORT_READERS },
  // Statutory returns: the CIN census (returns:produce: service managers and performance analysts)
  '/reports/returns': { allowed: RETURN_PRODUCERS },
  '/reports/returns/census': { allowed: RETURN_PRODUCERS },
  '/reports/returns/census/produce': { allowed: RETURN_PRODUCERS },
  '/reports/returns/census/files/:fileId': { allowed: RETURN_PRODUCERS },
  '/front-door/performance/contacts': { allowed: REPORT_READERS },
  '/front-door/performance/export': { allowed: REPORT_READERS },
  // Performance across the pathway (reports:view, as the front-door performance report)
  '/performance': { allowed: REPORT_READERS },
  '/performance/measures/:measureId': { allowed: REPORT_READERS },
  '/performance/measures/:measureId/export': { allowed: REPORT_READERS },
  '/performance/definitions': { allowed: REPORT_READERS },
  // The authority's targets for the measures (targets:set: service managers and administrators)
  '/performance/targets': { allowed: ['service-manager', 'system-administrator'] },
  '/performance/pathway': { allowed: REPORT_READERS },
  '/performance/pathway/export': { allowed: REPORT_READERS },
  '/performance/pathway/stages/:stageId': { allowed: REPORT_READERS },
  // XLSX downloads beside the CSV ones (reports:view)
  '/performance/measures/:measureId/export/xlsx': { allowed: REPORT_READERS },
  '/performance/pathway/export/xlsx': { allowed: REPORT_READERS },
  // Comparison figures: readers see them and download the set in use; service managers and analysts load a year
  '/performance/comparison': { allowed: REPORT_READERS },
  '/performance/comparison/template': { allowed: REPORT_READERS },
  '/performance/comparison/new': { allowed: RETURN_PRODUCERS },
  // The leadership mailbox the monthly report is emailed to (returns:produce)
  '/performance/reports/email': { allowed: RETURN_PRODUCERS },
  // Monthly performance reports: readers list and download them; service managers and performance analysts
  // (returns:produce) make one for a month. The fixtures hold no report: a reader asking for one gets 404, every
  // other role 403 (report.pages.test.ts downloads a real one).
  '/performance/reports': { allowed: REPORT_READERS },
  '/performance/reports/new': { allowed: RETURN_PRODUCERS },
  '/performance/reports/:reportId/download': { allowed: REPORT_READERS, status: 404 },

  // Statutory returns (returns:produce: performance analysts and service managers). The download with no window
  // sends the browser back to the form.
  '/reports/returns/annex-a': { allowed: ['service-manager', 'performance-analyst'] },
  '/reports/returns/annex-a/download': { allowed: ['service-manager', 'performance-analyst'], status: 303 },

  // Front door (the fixture contact is a Richmond contact in a red MASH enquiry, with a request to the police)
  '/front-door': { allowed: STAFF_READERS },
  '/front-door/contacts/new': { allowed: FRONT_DOOR_SCREENERS },
  '/front-door/contacts/:contactId': { allowed: STAFF_READERS },
  '/front-door/contacts/:contactId/children/:childId/check': { allowed: FRONT_DOOR_SCREENERS },
  // Whoever screens, decides or authorises contacts completes the census details a decision needs.
  '/front-door/contacts/:contactId/children/:childId/census-details': {
    allowed: [...FRONT_DOOR_SCREENERS, 'team-manager', 'service-manager'],
  },
  '/front-door/contacts/:contactId/adults/:contactAdultId/check': { allowed: FRONT_DOOR_SCREENERS },
  // An adult's relationships to the contact's children go on the children's records (child:write as well).
  '/front-door/contacts/:contactId/adults/:contactAdultId/relationships': {
    allowed: ['mash-practitioner', 'mash-manager'],
  },
  '/front-door/contacts/:contactId/mash-enquiry': { allowed: FRONT_DOOR_SCREENERS },
  // A further call about an open contact (contact:create).
  '/front-door/contacts/:contactId/calls/new': { allowed: FRONT_DOOR_SCREENERS },
  '/front-door/contacts/:contactId/information-requests/new': { allowed: MASH },
  '/front-door/contacts/:contactId/information-requests/:requestId/reminder': { allowed: MASH },
  '/front-door/contacts/:contactId/decision': {
    allowed: ['mash-practitioner', 'mash-manager', 'team-manager'],
  },
  '/front-door/contacts/:contactId/authorisation': {
    allowed: ['mash-manager', 'team-manager', 'service-manager'],
  },
  '/front-door/contacts/:contactId/strategy-discussion': {
    allowed: ['mash-practitioner', 'mash-manager', 'team-manager'],
  },
  '/front-door/contacts/:contactId/referrer-feedback': { allowed: FRONT_DOOR_SCREENERS },
  '/front-door/meetings': { allowed: MASH },
  '/front-door/meetings/new': { allowed: MASH },
  '/front-door/meetings/:meetingId': { allowed: MASH },
  '/front-door/meetings/:meetingId/attendees/new': { allowed: MASH },
  '/front-door/meetings/:meetingId/items/:itemId': { allowed: MASH },
  '/front-door/meetings/:meetingId/minutes': { allowed: MASH },
  // Partners see only requests to their own agency: the school's lead practitioner gets 404 for the police's.
  '/information-requests': { allowed: ['partner-agency-user', 'partner-lead-practitioner'] },
  '/information-requests/:requestId': {
    allowed: ['partner-agency-user'],
    notFound: ['partner-lead-practitioner'],
  },

  // Early help (the fixture episode is led by the early help practitioner; the school's partner lead practitioner is
  // in its team around the family, so reads it but may not change it; the Assessment Team's manager may read it
  // but not write, as it is allocated to the early help cluster team).
  '/early-help': { allowed: EARLY_HELP_READERS },
  '/early-help/new': { allowed: EARLY_HELP_WRITERS },
  '/early-help/impact': { allowed: EARLY_HELP_MANAGERS },
  '/early-help/impact/episodes': { allowed: EARLY_HELP_MANAGERS },
  '/early-help/settings': { allowed: EARLY_HELP_MANAGERS },
  '/early-help/episodes/:ehEpisodeId/assessment/oversight': { allowed: EARLY_HELP_MANAGERS },
  ...Object.fromEntries(
    [
      '/early-help/episodes/:ehEpisodeId',
      '/early-help/episodes/:ehEpisodeId/team',
      '/early-help/episodes/:ehEpisodeId/handover',
      '/early-help/episodes/:ehEpisodeId/assessment',
      '/early-help/episodes/:ehEpisodeId/plan',
      '/early-help/episodes/:ehEpisodeId/plan/print',
      '/early-help/episodes/:ehEpisodeId/reviews',
      '/early-help/episodes/:ehEpisodeId/reviews/:ehMeetingId',
      '/early-help/episodes/:ehEpisodeId/follow-up',
      '/early-help/episodes/:ehEpisodeId/outcomes',
    ].map((path): [string, PageDecision] => [path, { allowed: EARLY_HELP_READERS }]),
  ),
  ...Object.fromEntries(
    [
      '/early-help/episodes/:ehEpisodeId/lead-practitioner',
      '/early-help/episodes/:ehEpisodeId/consent',
      '/early-help/episodes/:ehEpisodeId/team/:ehMemberId/remove',
      '/early-help/episodes/:ehEpisodeId/plan/goals/new',
      '/early-help/episodes/:ehEpisodeId/plan/goals/:ehGoalId',
      '/early-help/episodes/:ehEpisodeId/plan/items/:ehItemId',
      '/early-help/episodes/:ehEpisodeId/plan/agree',
      '/early-help/episodes/:ehEpisodeId/reviews/new',
      '/early-help/episodes/:ehEpisodeId/feedback/new',
      '/early-help/episodes/:ehEpisodeId/step-up',
      '/early-help/episodes/:ehEpisodeId/closure',
    ].map((path): [string, PageDecision] => [
      path,
      { allowed: ['early-help-practitioner'], notFound: ['partner-lead-practitioner', 'team-manager'] },
    ]),
  ),
  // Children's social care: the fixture child has an episode (allocated to the social worker's team) with an
  // authorised assessment, a strategy discussion, an enquiry, an initial conference, a CIN plan ended the day
  // before the open CP plan started. Readers see it by the staff default; writers are the allocated line.
  ...Object.fromEntries(
    [
      '/social-care',
      '/social-care/episodes/:episodeId',
      '/social-care/assessments/:assessmentId',
      '/social-care/strategy-discussions/:strategyDiscussionId',
      '/social-care/section-47/:enquiryId',
      '/social-care/conferences/:conferenceId',
      '/social-care/cp-plans/:cpPlanId',
      '/social-care/cin-plans/:cinPlanId',
      '/social-care/cin-plans/:cinPlanId/family-version',
      '/social-care/cp-plans/:cpPlanId/family-version',
      '/social-care/episodes/:episodeId/visits',
      '/social-care/episodes/:episodeId/direct-work',
      '/social-care/pre-proceedings/:preProceedingsId',
      '/people/:personId/social-care',
    ].map((path): [string, PageDecision] => [path, { allowed: SOCIAL_CARE_READERS }]),
  ),
  ...Object.fromEntries(
    [
      '/social-care/episodes/:episodeId/details',
      '/social-care/episodes/:episodeId/assessments/new',
      '/social-care/assessments/:assessmentId/edit',
      '/social-care/assessments/:assessmentId/child-seen',
      '/social-care/assessments/:assessmentId/complete',
      '/social-care/episodes/:episodeId/strategy-discussions/new',
      '/social-care/episodes/:episodeId/section-47/new',
      '/social-care/section-47/:enquiryId/outcome',
      '/social-care/episodes/:episodeId/conferences/new',
      '/social-care/episodes/:episodeId/cp-plans/new',
      '/social-care/cp-plans/:cpPlanId/core-groups/new',
      '/social-care/cp-plans/:cpPlanId/reviews/new',
      '/social-care/cp-plans/:cpPlanId/end',
      '/social-care/cp-plans/:cpPlanId/goals/new',
      '/social-care/episodes/:episodeId/cin-plans/new',
      '/social-care/cin-plans/:cinPlanId/reviews/new',
      '/social-care/cin-plans/:cinPlanId/end',
      '/social-care/cin-plans/:cinPlanId/family-wording',
      '/social-care/cin-plans/:cinPlanId/goals/new',
      '/social-care/plan-goals/:planGoalId/actions/new',
      '/social-care/episodes/:episodeId/visits/new',
      '/social-care/episodes/:episodeId/direct-work/new',
      '/social-care/episodes/:episodeId/step-down',
      '/social-care/episodes/:episodeId/close',
      '/social-care/episodes/:episodeId/transfer-out',
      '/people/:personId/social-care/transfer-in',
      '/social-care/episodes/:episodeId/pre-proceedings/new',
      '/social-care/pre-proceedings/:preProceedingsId/letter-before-proceedings',
      '/social-care/pre-proceedings/:preProceedingsId/fgdm-offers/new',
      '/social-care/fgdm-offers/:offerId/response',
      '/social-care/pre-proceedings/:preProceedingsId/fgdm-referral',
      '/social-care/pre-proceedings/:preProceedingsId/fgdm-meetings/new',
      '/social-care/pre-proceedings/:preProceedingsId/meetings/new',
      '/social-care/pre-proceedings/:preProceedingsId/decision',
      // Corrections after saving (issue 22)
      '/social-care/pre-proceedings/:preProceedingsId/correct',
      '/social-care/pre-proceedings-reviews/:ppReviewId/edit',
      '/social-care/fgdm-meetings/:fgdmMeetingId/edit',
      '/social-care/fgdm-offers/:offerId/edit',
    ].map((path): [string, PageDecision] => [path, { allowed: SOCIAL_CARE_WRITERS }]),
  ),
  '/social-care/assessments/:assessmentId/authorise': { allowed: ['team-manager', 'service-manager'] },
  // A manager's decision that a family group decision making meeting is not in the child's interests.
  '/social-care/pre-proceedings/:preProceedingsId/fgdm-not-in-interests': {
    allowed: ['team-manager', 'service-manager'],
  },
  // The MASH manager may allocate, but this child is held by another service: not theirs (404).
  '/social-care/episodes/:episodeId/allocate': {
    allowed: ['team-manager', 'service-manager'],
    readOnly: ['mash-manager'],
  },
  // Social care settings (intervals per authority, direct-work tools): social care managers and reference data managers.
  ...Object.fromEntries(
    ['/social-care/settings', '/social-care/settings/direct-work-tools'].map(
      (path): [string, PageDecision] => [
        path,
        { allowed: ['team-manager', 'service-manager', 'system-administrator'] },
      ],
    ),
  ),
  // Case audits (quality reviews of casework): the QA roles ('case-audit:conduct'). The fixture audit is the QA
  // officer's, of an unrestricted child the others may read, so they see it read-only.
  ...Object.fromEntries(
    [
      '/case-audits',
      '/case-audits/programmes/new',
      '/case-audits/programmes/:programmeId',
      '/case-audits/audits/:auditId',
      '/case-audits/audits/:auditId/actions/new',
      '/case-audits/programmes/:programmeId/learning',
      // The QA lead's pages ('case-audit:moderate'): assigning, moderating and the QA report with its downloads.
      '/case-audits/audits/:auditId/assign',
      '/case-audits/audits/:auditId/moderate',
      '/case-audits/report',
      '/case-audits/report/audits',
      '/case-audits/report/download',
    ].map((path): [string, PageDecision] => [
      path,
      { allowed: ['service-manager', 'principal-social-worker', 'qa-officer'] },
    ]),
  ),
  // An action from a case audit: its owner (the fixture's is the social worker) and the QA leads; anyone else signed
  // in is told it does not exist.
  '/case-audits/actions/:actionId': {
    allowed: ['social-worker', 'service-manager', 'principal-social-worker', 'qa-officer'],
    notFound: [
      'contact-officer',
      'mash-practitioner',
      'mash-manager',
      'partner-agency-user',
      'early-help-practitioner',
      'partner-lead-practitioner',
      'team-manager',
      'performance-analyst',
      'system-administrator',
    ],
  },
  // Family feedback: the family's page is public (any token; this one was never made, so it says so). The results are
  // for the QA roles and managers; paper responses for 'feedback:record'; a link for the child's record is made by
  // those who may change the record and offer feedback (social care's 'feedback:record' or early help writers).
  '/feedback/:token': { public: true, allowed: 'all' },
  '/case-audits/feedback': {
    allowed: ['team-manager', 'service-manager', 'principal-social-worker', 'qa-officer'],
  },
  '/case-audits/feedback/paper': {
    allowed: ['social-worker', 'team-manager', 'service-manager', 'principal-social-worker', 'qa-officer'],
  },
  '/people/:personId/family-feedback/link': {
    allowed: ['social-worker', 'team-manager', 'service-manager'],
    notFound: ['partner-lead-practitioner'],
  },
  // Observations of practice: every member of staff has the list (their own); observers are the QA roles and
  // managers. The fixture is the team manager's observation of the social worker, shared: the worker, the observer and
  // the service manager above them see it; other staff get 404.
  '/case-audits/observations': { allowed: [...STAFF_READERS, 'performance-analyst', 'system-administrator'] },
  '/case-audits/observations/new': {
    allowed: ['mash-manager', 'team-manager', 'service-manager', 'principal-social-worker', 'qa-officer'],
  },
  '/case-audits/observations/:observationId': {
    allowed: ['social-worker', 'team-manager', 'service-manager'],
    notFound: [...PROFILE_OUTSIDERS, 'system-administrator'],
  },
  // Case supervision: practitioners see their own, managers ('supervision:record') record it. The fixture session is
  // the team manager's with the social worker: the service manager is in their management line; other practitioners
  // and the MASH manager are not (404). Only its supervisor records a child's part of it.
  '/supervision': { allowed: SUPERVISION_PEOPLE },
  '/supervision/new': { allowed: SUPERVISORS },
  '/supervision/settings': { allowed: SUPERVISORS },
  '/supervision/:sessionId': {
    allowed: ['social-worker', 'team-manager', 'service-manager'],
    notFound: ['mash-practitioner', 'mash-manager', 'early-help-practitioner'],
  },
  '/supervision/:sessionId/children/:personId': { allowed: ['team-manager'], notFound: ['mash-manager'] },
  '/people/:personId/management-oversight/new': {
    allowed: ['team-manager', 'service-manager'],
    readOnly: ['mash-manager'],
  },
  // Team oversight: managers of the fixture team (the Assessment Team) and the service manager above it.
  '/supervision/teams/:teamId/oversight': {
    allowed: ['team-manager', 'service-manager'],
    notFound: ['mash-manager'],
  },
  // Group sessions: the fixture is the team manager's group session attended by the social worker; like an
  // individual session, the attendee's management line sees it, other practitioners get 404.
  '/supervision/groups': { allowed: SUPERVISION_PEOPLE },
  '/supervision/groups/new': { allowed: SUPERVISORS },
  '/supervision/groups/:groupSessionId': {
    allowed: ['social-worker', 'team-manager', 'service-manager'],
    notFound: ['mash-practitioner', 'mash-manager', 'early-help-practitioner'],
  },
  '/supervision/groups/:groupSessionId/children/:personId': {
    allowed: ['team-manager'],
    notFound: ['mash-manager'],
  },
  // Personal supervision is private to the worker and the supervisor who recorded it: the fixture is the team
  // manager's with the social worker. The service manager above them, and everyone else, get 404.
  '/supervision/personal': { allowed: SUPERVISION_PEOPLE },
  '/supervision/personal/new': { allowed: SUPERVISORS },
  '/supervision/personal/:personalId': {
    allowed: ['social-worker', 'team-manager'],
    notFound: ['mash-practitioner', 'mash-manager', 'early-help-practitioner', 'service-manager'],
  },
  // Allocation board and caseloads: the managers of the fixture team (the Assessment Team: its team manager, and the
  // service manager above it); the MASH manager may allocate, but not in this team (404). A worker sees their own
  // caseload (the fixture worker is the social worker); other practitioners and caseload readers do not (404).
  '/workforce/teams/:teamId/allocation': {
    allowed: ['team-manager', 'service-manager'],
    notFound: ['mash-manager'],
  },
  '/workforce/teams/:teamId/allocation/cin-episodes/:episodeId': {
    allowed: ['team-manager', 'service-manager'],
    notFound: ['mash-manager'],
  },
  '/workforce/teams/:teamId/allocation/early-help-episodes/:ehEpisodeId': {
    allowed: ['team-manager', 'service-manager'],
    notFound: ['mash-manager'],
  },
  '/workforce/workers/:userId/caseload': {
    allowed: ['social-worker', 'team-manager', 'service-manager'],
    notFound: [
      'mash-practitioner',
      'mash-manager',
      'early-help-practitioner',
      'principal-social-worker',
      'performance-analyst',
    ],
  },
  '/workforce/caseload-settings': { allowed: SUPERVISORS },
  // Worker profiles are need-to-know: the worker (the fixture is the social worker, in the ASYE, assessed by the team
  // manager), their management line and the authority's administrator. Other staff get 404; partners 403. The worker
  // sees their own profile and records their own training, but only their managers and administrators change it and
  // record ASYE reviews (403 for the worker).
  '/workforce/workers/:userId': {
    allowed: ['social-worker', 'team-manager', 'service-manager', 'system-administrator'],
    notFound: PROFILE_OUTSIDERS,
  },
  '/workforce/workers/:userId/edit': {
    allowed: ['team-manager', 'service-manager', 'system-administrator'],
    notFound: PROFILE_OUTSIDERS,
  },
  '/workforce/workers/:userId/asye-reviews/new': {
    allowed: ['team-manager', 'service-manager', 'system-administrator'],
    notFound: PROFILE_OUTSIDERS,
  },
  '/workforce/workers/:userId/training/new': {
    allowed: ['social-worker', 'team-manager', 'service-manager', 'system-administrator'],
    notFound: PROFILE_OUTSIDERS,
  },
  // The workforce page, the workers behind a figure and its CSV: service managers and the principal social worker.
  '/workforce': { allowed: ['service-manager', 'principal-social-worker'] },
  '/workforce/figures/workers': { allowed: ['service-manager', 'principal-social-worker'] },
  '/workforce/figures/download': { allowed: ['service-manager', 'principal-social-worker'] },
};

export { STAFF_READERS };
