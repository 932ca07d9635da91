import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../../kernel/access/index.ts';
import { ROLE_PRIMARY_ACTIONS, startActions } from './start-actions.ts';

const userWith = (...roles: Role[]) => ({
  roles,
  permissions: new Set<Permission>(roles.flatMap((r) => ROLE_PERMISSIONS[r])),
});

describe('home page start actions', () => {
  it('gives every role somewhere to start: at least one primary action it is allowed to use', () => {
    for (const role of ROLES) {
      const { primary } = startActions(userWith(role));
      expect(primary.length, role).toBeGreaterThan(0);
      expect(primary.length, role).toBeLessThanOrEqual(2);
    }
  });

  it('starts each role on its own work', () => {
    const first = (role: Role) => startActions(userWith(role)).primary.map((a) => a.text);
    expect(first('contact-officer')).toEqual(['Record a contact', 'Open contacts']);
    expect(first('partner-agency-user')).toEqual(['Refer a child', 'Answer information requests']);
    expect(first('mash-manager')).toEqual(['Decisions to authorise', 'Open contacts']);
    expect(first('social-worker')[0]).toBe('Your children');
    expect(first('early-help-practitioner')[0]).toBe('Your early help families');
    expect(first('performance-analyst')).toEqual(['Performance', 'Statutory returns']);
    expect(first('service-manager')).toEqual(['Performance', 'Workforce']);
    expect(first('system-administrator')[0]).toBe('Administration');
    expect(first('qa-officer')[0]).toBe('Case audits');
    expect(first('principal-social-worker')[0]).toBe('Case audits');
  });

  it('never offers an action the user lacks the permission for', () => {
    const partner = startActions(userWith('partner-agency-user'));
    const hrefs = [...partner.primary, ...partner.more].map((a) => a.href);
    expect(hrefs).not.toContain('/people');
    expect(hrefs).not.toContain('/front-door');
    expect(hrefs).not.toContain('/admin');
    expect(hrefs).toContain('/referrals');
  });

  it('lists each link once, primary first, and combines roles in order', () => {
    const both = startActions(userWith('contact-officer', 'system-administrator'));
    expect(both.primary.map((a) => a.text)).toEqual(['Record a contact', 'Open contacts']);
    const all = [...both.primary, ...both.more].map((a) => a.href);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain('/admin');
  });

  it('names only actions that exist for every role listed', () => {
    expect(Object.keys(ROLE_PRIMARY_ACTIONS).sort()).toEqual([...ROLES].sort());
  });
});
