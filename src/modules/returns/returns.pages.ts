import { definePage } from '../../web/page.ts';

/** The returns landing page (returns:produce): the statutory returns Threshold makes. */
export const returnsPage = definePage({
  path: '/reports/returns',
  view: 'returns/views/returns.njk',
  access: 'returns:produce',
  title: 'Statutory returns',
  load: async () => ({
    returns: [
      {
        href: '/reports/returns/census',
        title: 'Children in need census',
        description:
          'The DfE’s annual CIN census: check the return against every validation rule, make the XML file and keep it.',
      },
    ],
  }),
});

export const returnsLandingPages = [returnsPage];
