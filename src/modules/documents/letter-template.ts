import nunjucks from 'nunjucks';
import { z } from 'zod';
import { fieldsSchema, LETTER_KINDS, type LetterFields, type LetterKind } from './letter-kinds.ts';

/**
 * Letter templates are Nunjucks text written by administrators. They are rendered in an environment of their own:
 * no loader (no include, import or extends), autoescaping on, and the template is checked before it is saved so that
 * it names only its kind's declared fields (`letter-kinds.ts`) and the built-in filters: no function calls, no
 * dynamic lookups, no macros. Rendering gets only the declared fields, parsed through the kind's schema.
 */

const env = new nunjucks.Environment([], { autoescape: true, trimBlocks: true, lstripBlocks: true });

/** Property names that reach into JavaScript rather than the letter's data. */
const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype', 'caller', 'callee']);
const FORBIDDEN_NODES: Record<string, string> = {
  Macro: 'macros',
  Caller: 'macros',
  Import: 'imports',
  FromImport: 'imports',
  Include: 'includes',
  Extends: 'extends',
  Block: 'blocks',
  Super: 'blocks',
  FunCall: 'function calls',
  CallExtension: 'extensions',
  CallExtensionAsync: 'extensions',
  AsyncEach: 'asyncEach',
  AsyncAll: 'asyncAll',
  FilterAsync: 'asynchronous filters',
};
const FORBIDDEN_FILTERS = new Set(['safe']);

/** Nunjucks's parser is public but not in its type definitions. */
interface NunjucksParser {
  parser: { parse(source: string, extensions: unknown[], options: object): unknown };
}

interface AstNode {
  typename: string;
  fields: string[];
  value?: unknown;
  lineno?: number;
  [key: string]: unknown;
}

/** A field's type, or `true` when anything goes (a loop's `loop`, a value set in the template). */
type FieldType = z.ZodType | true;

function unwrap(type: FieldType): FieldType {
  let t = type;
  while (t !== true && (t instanceof z.ZodOptional || t instanceof z.ZodNullable))
    t = t.unwrap() as z.ZodType;
  return t;
}

class TemplateCheck {
  readonly problems: string[] = [];
  constructor(private readonly allowed: string[]) {}

  problem(message: string) {
    if (!this.problems.includes(message)) this.problems.push(message);
  }

  /** The type of an expression that names data (a symbol or a chain of `.field`), or null when it names none. */
  resolve(node: AstNode, scope: Map<string, FieldType>): FieldType | null {
    if (node.typename === 'Symbol') {
      const name = String(node.value);
      const type = scope.get(name);
      if (!type) {
        this.problem(`‘${name}’ is not a field this letter can use. It can use: ${this.allowed.join(', ')}`);
        return null;
      }
      return type;
    }
    if (node.typename === 'LookupVal') {
      const target = this.resolve(node['target'] as AstNode, scope);
      const key = node['val'] as AstNode;
      if (key.typename !== 'Literal') {
        this.problem('Name fields with a dot (child.firstName), not square brackets');
        return null;
      }
      const name = String(key.value);
      if (FORBIDDEN_NAMES.has(name)) {
        this.problem(`‘${name}’ cannot be used in a letter`);
        return null;
      }
      if (target === null) return null;
      const t = unwrap(target);
      if (t === true) return true;
      if (t instanceof z.ZodObject) {
        const shape = t.shape as Record<string, z.ZodType>;
        if (!Object.hasOwn(shape, name)) {
          this.problem(`‘${name}’ is not part of this field. It has: ${Object.keys(shape).join(', ')}`);
          return null;
        }
        return shape[name]!;
      }
      if (t instanceof z.ZodArray && typeof key.value === 'number') return t.element as z.ZodType;
      this.problem(`‘${name}’ is not part of this field`);
      return null;
    }
    return null;
  }

  walk(node: unknown, scope: Map<string, FieldType>): void {
    if (!node || typeof node !== 'object') return;
    const n = node as AstNode;
    const forbidden = FORBIDDEN_NODES[n.typename];
    if (forbidden) {
      this.problem(`Letters cannot use ${forbidden}`);
      return;
    }
    switch (n.typename) {
      case 'Symbol':
      case 'LookupVal':
        this.resolve(n, scope);
        return;
      case 'Filter': {
        const name = String((n['name'] as AstNode).value);
        if (FORBIDDEN_FILTERS.has(name)) this.problem(`The ‘${name}’ filter cannot be used in a letter`);
        this.walk(n['args'], scope);
        return;
      }
      case 'Is':
        this.walk(n['left'], scope);
        return;
      case 'For': {
        const arr = this.resolve(n['arr'] as AstNode, scope) ?? true;
        const element =
          arr !== true && unwrap(arr) instanceof z.ZodArray ? (unwrap(arr) as z.ZodArray).element : true;
        const inner = new Map(scope);
        inner.set('loop', true);
        const target = n['name'] as AstNode;
        if (target.typename === 'Symbol') inner.set(String(target.value), element as FieldType);
        else this.problem('Loop over one list at a time: {% for item in list %}');
        this.walk(n['body'], inner);
        this.walk(n['else_'], scope);
        return;
      }
      case 'Set': {
        this.walk(n['value'], scope);
        this.walk(n['body'], scope);
        for (const t of (n['targets'] as AstNode[]) ?? [])
          if (t.typename === 'Symbol') scope.set(String(t.value), true);
        return;
      }
      default:
        for (const f of n.fields) {
          const child = n[f];
          if (Array.isArray(child)) for (const c of child) this.walk(c, scope);
          else this.walk(child, scope);
        }
    }
  }
}

/** What is wrong with a template's text for a kind, in words an administrator can act on; empty when it is fine. */
export function templateProblems(kind: LetterKind, source: string): string[] {
  let ast: unknown;
  try {
    ast = (nunjucks as unknown as NunjucksParser).parser.parse(source, [], {});
  } catch (error) {
    return [`The template cannot be read: ${(error as Error).message.replace(/\s+/g, ' ').trim()}`];
  }
  const shape = fieldsSchema(kind).shape as Record<string, z.ZodType>;
  const check = new TemplateCheck(Object.keys(shape));
  check.walk(ast, new Map<string, FieldType>(Object.entries(shape)));
  return check.problems;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * Renders a template with a kind's fields. The output is escaped HTML (autoescape); `asText` turns it back into the
 * plain text of a letter for the edit box and the PDF.
 */
export function renderTemplateHtml(kind: LetterKind, source: string, fields: LetterFields): string {
  const data = fieldsSchema(kind).parse(fields);
  return env.renderString(source, data);
}

export function asText(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);
}

/** A letter's subject and body as plain text, blank lines between paragraphs and no runs of blank lines. */
export function renderLetter(
  kind: LetterKind,
  template: { subject: string; body: string },
  fields: LetterFields,
): { subject: string; body: string } {
  const subject = asText(renderTemplateHtml(kind, template.subject, fields))
    .replace(/\s+/g, ' ')
    .trim();
  const body = asText(renderTemplateHtml(kind, template.body, fields))
    .replace(/\r\n/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { subject, body };
}

export function kindLabel(kind: LetterKind): string {
  return LETTER_KINDS[kind].label;
}
