/**
 * Kernel errors. Services throw these; the web layer turns them into pages or problem documents.
 * A record the user may not see is a NotFoundError, the same as one that does not exist.
 */
export class NotFoundError extends Error {
  constructor(message = 'Not found') {
    super(message);
    this.name = 'NotFoundError';
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
