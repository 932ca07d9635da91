import type { OpenWorkSearchProvider } from '../people/index.ts';
import { namedOnOpenContacts } from './open-contact-search.service.ts';
import { addCallPath, contactPath } from './paths.ts';

/** Person search also finds children and adults named on open contacts and partner referrals, not yet linked. */
export const frontDoorOpenWork: OpenWorkSearchProvider = {
  id: 'front-door',
  find: async (ctx, criteria) => {
    const canAdd = ctx.user.permissions.has('contact:create');
    return (await namedOnOpenContacts(ctx, { criteria })).map((m) => ({
      id: m.rowId,
      kind: m.kind,
      name: m.name,
      dateOfBirth: m.dateOfBirth,
      description: m.description,
      href: contactPath(m.contactId),
      addCallHref: canAdd ? addCallPath(m.contactId) : null,
      score: m.score,
      confidence: m.confidence,
      confidenceLabel: m.confidenceLabel,
      reasons: m.reasons,
    }));
  },
};
