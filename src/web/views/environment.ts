import type nunjucks from 'nunjucks';
import { formatDateGovUk, formatDateTimeGovUk } from '../../kernel/time/index.ts';
import type { AppServices } from '../app-services.ts';
import { templateView } from '../../kernel/forms-as-data/answers.ts';
import { cacheContextFreeImports } from './import-cache.ts';
import { trimFilter } from './trim-filter.ts';

/** Filters and globals available to every template. */
export function configureNunjucks(env: nunjucks.Environment, services: AppServices): void {
  cacheContextFreeImports();
  // The built-in trim is quadratic on whitespace runs, and the GOV.UK macros trim whole fieldsets.
  env.addFilter('trim', trimFilter);
  env.addFilter('govukDate', (value: string | Date | null | undefined) => {
    if (!value) return '';
    if (value instanceof Date) return formatDateGovUk(value.toISOString().slice(0, 10));
    return formatDateGovUk(value.slice(0, 10));
  });
  env.addFilter('govukDateTime', (value: Date | string | null | undefined) => {
    if (!value) return '';
    return formatDateTimeGovUk(value instanceof Date ? value : new Date(value));
  });
  /** Turns an error map entry into the `errorMessage` option of a govuk macro (or false). */
  env.addFilter('errorFor', (errors: { byField?: Record<string, string> } | undefined, field: string) => {
    const message = errors?.byField?.[field];
    return message ? { text: message } : false;
  });
  /** The value typed for a field, or a fallback (e.g. what is saved). */
  env.addFilter(
    'valueOr',
    (values: Record<string, unknown> | undefined, field: string, fallback?: unknown) => {
      if (values && Object.prototype.hasOwnProperty.call(values, field)) return values[field];
      return fallback ?? '';
    },
  );
  /** Items for govukRadios / govukCheckboxes from [{ value, text }] marking the chosen ones. */
  env.addFilter('choices', (options: { value: string; text: string; hint?: string }[], chosen: unknown) => {
    const set = new Set(
      Array.isArray(chosen)
        ? chosen.map(String)
        : chosen === undefined || chosen === null || chosen === ''
          ? []
          : [String(chosen)],
    );
    return options.map((o) => ({
      value: o.value,
      text: o.text,
      ...(o.hint ? { hint: { text: o.hint } } : {}),
      checked: set.has(o.value),
      selected: set.has(o.value),
    }));
  });
  env.addGlobal('today', () => services.clock.now());
  /** View model for the generic forms-as-data renderer (partials/form-template.njk). */
  env.addGlobal('templateView', templateView);
}
