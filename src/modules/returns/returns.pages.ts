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
      {
        href: '/reports/returns/annex-a',
        title: 'Ofsted Annex A',
        description:
          'The child-level lists Ofsted asks for at the start of an inspection, for any window: as a workbook, one list as CSV, or an inspection pack.',
      },
    ],
  }),
});

export const returnsLandingPages = [returnsPage];
