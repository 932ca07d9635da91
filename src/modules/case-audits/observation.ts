/**
 * Direct observations of practice (issue 20, part 5): what was seen, and the steps an observation goes through. The
 * observer writes it (draft), shares it with the worker, the worker adds their reflection (only the worker may), and
 * the observer completes it; a completed observation is read-only.
 */

export const OBSERVATION_SETTINGS = ['home-visit', 'meeting', 'conference', 'supervision', 'other'] as const;
export type ObservationSetting = (typeof OBSERVATION_SETTINGS)[number];
export const SETTING_LABELS: Record<ObservationSetting, string> = {
  'home-visit': 'Home visit',
  meeting: 'Meeting with the family or professionals',
  conference: 'Conference',
  supervision: 'Supervision',
  other: 'Something else',
};

export const OBSERVATION_STATUSES = ['draft', 'shared', 'completed'] as const;
export type ObservationStatus = (typeof OBSERVATION_STATUSES)[number];
export const OBSERVATION_STATUS_LABELS: Record<ObservationStatus, string> = {
  draft: 'Draft',
  shared: 'Shared with the worker',
  completed: 'Completed',
};

export type ObservationAction = 'save' | 'share' | 'reflect' | 'complete';

export interface ObservationRoles {
  isObserver: boolean;
  isWorker: boolean;
}

/** What the user may do with an observation at its status. */
export function allowedActions(status: ObservationStatus, roles: ObservationRoles): ObservationAction[] {
  if (status === 'draft') return roles.isObserver ? ['save', 'share'] : [];
  if (status === 'shared') {
    const actions: ObservationAction[] = [];
    if (roles.isWorker) actions.push('reflect');
    if (roles.isObserver) actions.push('complete');
    return actions;
  }
  return [];
}
