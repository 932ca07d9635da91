import type { CurrentUser, Permission } from '../kernel/access/index.ts';

interface NavItem {
  href: string;
  text: string;
  current?: boolean;
  active?: boolean;
}

const ITEMS: { href: string; text: string; needs: Permission | 'signed-in' }[] = [
  { href: '/', text: 'Home', needs: 'signed-in' },
  { href: '/people', text: 'Find a person', needs: 'person:search' },
  { href: '/front-door', text: 'Front door', needs: 'contact:read' },
  { href: '/information-requests', text: 'Information requests', needs: 'information-request:respond' },
  { href: '/referrals', text: 'Referrals', needs: 'referral:submit' },
  { href: '/performance', text: 'Performance', needs: 'reports:view' },
  { href: '/front-door/performance', text: 'Front-door performance', needs: 'reports:view' },
  { href: '/reports/returns', text: 'Statutory returns', needs: 'returns:produce' },
  { href: '/early-help', text: 'Early help', needs: 'early-help:read' },
  { href: '/social-care', text: 'Social care', needs: 'social-care:read' },
  { href: '/supervision', text: 'Supervision', needs: 'child:write' },
  { href: '/admin', text: 'Administration', needs: 'users:manage' },
];

/** The service navigation for this user: only what their roles can use. */
export function buildNavigation(user: CurrentUser | null, url: string): NavItem[] {
  if (!user) return [];
  const path = url.split('?')[0] ?? '/';
  return ITEMS.filter((i) => i.needs === 'signed-in' || user.permissions.has(i.needs)).map((i) => {
    const current = i.href === path;
    const active = !current && i.href !== '/' && path.startsWith(i.href);
    return {
      href: i.href,
      text: i.text,
      ...(current ? { current: true } : {}),
      ...(active ? { active: true } : {}),
    };
  });
}
