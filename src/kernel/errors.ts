/**
 * Kernel errors. Services throw these; the web layer turns them into pages or problem documents.
 * A record the user may not see is a NotFoundError, the same as one that does not exist.
 */
export class NotFoundError extends Error {
  /**
   * People whose records exist but the user may not open (record-level denials): the web layer records the refused
   * attempt in the audit trail under each child, so "who tried to see this record" has an answer.
   */
  deniedPersonIds: readonly string[] = [];
  constructor(message = 'Not found', deniedPersonIds: readonly string[] = []) {
    super(message);
    this.name = 'NotFoundError';
    this.deniedPersonIds = deniedPersonIds;
  }
}

/** The user's roles do not allow this action at all (403). Not for record-level denials: those are 404. */
export class AccessDeniedError extends Error {
  constructor(
    readonly permission?: string,
    message = 'You do not have permission to do this',
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}

/**
 * The user may open the record but not change it (it is held by another team or service): 403 with the reason, not
 * 404, because the user saw the record a moment before and "Page not found" would only mislead them.
 */
export class RecordReadOnlyError extends AccessDeniedError {
  constructor(
    message = 'You can read this record but not change it: it is held by another team or service. Ask the allocated worker or their manager to make the change.',
  ) {
    super('child:write', message);
    this.name = 'RecordReadOnlyError';
  }
}

/** One problem with what was typed or sent, shown in the GOV.UK error summary and beside the field. */
export interface FieldError {
  /** The field's name as used in the form (and its id, for the summary link). */
  field: string;
  message: string;
  /** Where the summary link goes: '#field', or '#field-day' for a date. */
  href: string;
}

/** A rule that needs the database failed; shown against the field like a validation error. */
export class BusinessRuleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessRuleError';
  }
}

/** Someone else saved first (version column). Nothing is overwritten. */
export class ConflictError extends Error {
  constructor(
    message = 'Someone else changed this record while you were editing it',
    readonly current?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * Several problems at once, each against its field, where one BusinessRuleError would hide the rest (the form shows
 * them all in the error summary). The first problem is also the error's own field and message.
 */
export class FieldProblemsError extends BusinessRuleError {
  readonly problems: readonly FieldError[];
  constructor(problems: readonly FieldError[]) {
    super(problems[0]?.field ?? 'form', problems[0]?.message ?? 'There is a problem');
    this.name = 'FieldProblemsError';
    this.problems = problems;
  }
}
