import nunjucks from 'nunjucks';

type Exported = Record<string, unknown>;
type ExportedCallback = (err: unknown, exported: Exported | null) => void;
interface TemplateInternals {
  getExported(ctx: unknown, parentFrame?: unknown, cb?: ExportedCallback): void;
}

const cache = new WeakMap<object, Exported>();
let installed = false;

/**
 * Keeps what a template exports to `{% from "…" import … %}` and `{% import "…" as … %}` (without context) once per
 * compiled template, instead of running the imported file again on every use. Nunjucks runs the whole imported
 * template each time an import is met, and every GOV.UK component's template imports its attribute macros, so a
 * page with forty components ran the macro files forty times a render. An import without context sees nothing of the
 * page (an empty context and a fresh frame), so what it exports is the same every time: its macros, which take their
 * arguments and the page's globals when they are called. Imports `with context` run as before. Templates are the
 * environment's cached ones in production; without the template cache (development) each render gets new template
 * objects and the cache is simply not hit.
 */
export function cacheContextFreeImports(): void {
  if (installed) return;
  installed = true;
  const proto = (nunjucks.Template as unknown as { prototype: TemplateInternals }).prototype;
  const original = proto.getExported;
  proto.getExported = function (this: object, ctx: unknown, parentFrame?: unknown, cb?: ExportedCallback) {
    if (typeof ctx !== 'function') return original.call(this, ctx, parentFrame, cb);
    const done = ctx as ExportedCallback;
    const hit = cache.get(this);
    if (hit) return done(null, hit);
    original.call(this, (err: unknown, exported: Exported | null) => {
      if (!err && exported) cache.set(this, exported);
      done(err, exported);
    });
  };
}
