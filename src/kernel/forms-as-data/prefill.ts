import { fieldName, type FormTemplate } from './template.ts';

/**
 * A new form's starting answers taken from what the record already says (issue 18: type each fact once). Nothing is
 * saved until the worker saves; every prefilled answer stays editable and says where it came from.
 */
export interface Prefill {
  /** Form values (field name → value) for the template's questions that something already answers. */
  values: Record<string, string>;
  /** Where each prefilled question's answer came from, by "section.question". */
  sources: Record<string, string>;
}

/**
 * Builds a prefill for one section of a template. Only questions the template has, of the kind expected, are
 * filled: an authority's own template version without them simply opens without those answers.
 */
export function prefillSection(template: FormTemplate, sectionId: string) {
  const section = template.sections.find((s) => s.id === sectionId);
  const question = (id: string) => section?.questions.find((q) => q.id === id);
  const out: Prefill = { values: {}, sources: {} };
  return {
    out,
    /** A free-text answer (textarea or text), when there is something to say. */
    text(questionId: string, value: string, source: string) {
      const q = question(questionId);
      if ((q?.kind !== 'textarea' && q?.kind !== 'text') || !value.trim()) return;
      out.values[fieldName(sectionId, questionId)] = value;
      out.sources[`${sectionId}.${questionId}`] = source;
    },
    /** People as a repeating name/relationship question. */
    people(questionId: string, people: readonly { name: string; role: string }[], source: string) {
      const q = question(questionId);
      if (q?.kind !== 'repeating' || !people.length) return;
      const has = (id: string) => q.fields.some((f) => f.id === id);
      if (!has('name')) return;
      people.slice(0, q.maxItems ?? people.length).forEach((p, i) => {
        out.values[fieldName(sectionId, questionId, i, 'name')] = p.name;
        if (has('relationship')) out.values[fieldName(sectionId, questionId, i, 'relationship')] = p.role;
      });
      out.sources[`${sectionId}.${questionId}`] = source;
    },
  };
}

/** The template as shown for a new record: each prefilled question's hint says where its answer came from. */
export function withSourceHints(template: FormTemplate, sources: Record<string, string>): FormTemplate {
  if (!Object.keys(sources).length) return template;
  return {
    ...template,
    sections: template.sections.map((s) => ({
      ...s,
      questions: s.questions.map((q) => {
        const source = sources[`${s.id}.${q.id}`];
        return source ? { ...q, hint: q.hint ? `${source}. ${q.hint}` : source } : q;
      }),
    })),
  };
}
