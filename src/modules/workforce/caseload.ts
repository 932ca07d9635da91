/**
 * Caseloads (workforce module): a worker's caseload is the children they hold, each counted once, whatever the
 * number of allocations. Its weight is the sum over those children of the weight of the heaviest work held for the
 * child (child protection > child in need > assessment > early help, by the authority's weights) plus, for a child in
 * a large sibling group, the complexity weight. The authority sets the weighted caseload it calls "too high".
 */

export const WORK_KINDS = ['child-protection', 'child-in-need', 'assessment', 'early-help'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

export const WORK_KIND_LABELS: Record<WorkKind, string> = {
  'child-protection': 'Child protection',
  'child-in-need': 'Child in need',
  assessment: 'Assessment or other social care',
  'early-help': 'Early help',
};

export interface CaseloadWeights {
  childProtection: number;
  childInNeed: number;
  assessment: number;
  earlyHelp: number;
  largeSiblingGroup: number;
  largeSiblingGroupSize: number;
  tooHigh: number;
}

/** The weights until an authority saves its own. */
export const DEFAULT_CASELOAD_WEIGHTS: CaseloadWeights = {
  childProtection: 1.5,
  childInNeed: 1,
  assessment: 1,
  earlyHelp: 0.5,
  largeSiblingGroup: 0.5,
  largeSiblingGroupSize: 4,
  tooHigh: 22,
};

export function weightOf(kind: WorkKind, weights: CaseloadWeights): number {
  switch (kind) {
    case 'child-protection':
      return weights.childProtection;
    case 'child-in-need':
      return weights.childInNeed;
    case 'assessment':
      return weights.assessment;
    case 'early-help':
      return weights.earlyHelp;
  }
}

/** One child a worker holds: the kind of work (the heaviest, when several are held) and the child's sibling count. */
export interface HeldChild {
  kind: WorkKind;
  /** Brothers and sisters (including half and step) recorded on the child's family network. */
  siblings: number;
}

/** A child in a group of `largeSiblingGroupSize` or more children (the child and their siblings). */
export function inLargeSiblingGroup(child: Pick<HeldChild, 'siblings'>, weights: CaseloadWeights): boolean {
  return child.siblings + 1 >= weights.largeSiblingGroupSize;
}

export function childWeight(child: HeldChild, weights: CaseloadWeights): number {
  return (
    weightOf(child.kind, weights) + (inLargeSiblingGroup(child, weights) ? weights.largeSiblingGroup : 0)
  );
}

export interface CaseloadFigures {
  children: number;
  byKind: Record<WorkKind, number>;
  largeSiblingGroups: number;
  weighted: number;
  tooHigh: boolean;
}

/** A worker's caseload figures from the children they hold. Weighted to one decimal place. */
export function caseloadFigures(children: readonly HeldChild[], weights: CaseloadWeights): CaseloadFigures {
  const byKind: Record<WorkKind, number> = {
    'child-protection': 0,
    'child-in-need': 0,
    assessment: 0,
    'early-help': 0,
  };
  let weighted = 0;
  let largeSiblingGroups = 0;
  for (const c of children) {
    byKind[c.kind] += 1;
    if (inLargeSiblingGroup(c, weights)) largeSiblingGroups += 1;
    weighted += childWeight(c, weights);
  }
  weighted = Math.round(weighted * 10) / 10;
  return {
    children: children.length,
    byKind,
    largeSiblingGroups,
    weighted,
    tooHigh: weighted > weights.tooHigh,
  };
}

/** The heaviest of the kinds of work held for one child. */
export function heaviestKind(kinds: readonly WorkKind[]): WorkKind {
  for (const k of WORK_KINDS) if (kinds.includes(k)) return k;
  return 'assessment';
}
