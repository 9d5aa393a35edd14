// Form building blocks in the DSFR's markup: every input has its label,
// its hint and its message tied by aria-describedby; messages are set as
// text. Shared by the contribution form and the moderation page.

import {h, replaceChildren} from '../dom.ts';

/** A field on the page: where to show its error or warning, what to
 * focus. */
export interface FieldSlot {
  name: string;
  group: HTMLElement;
  focus: HTMLElement;
  error: HTMLElement;
  warning: HTMLElement;
  errorClass: string;
}

let seq = 0;
export function uid(prefix: string): string {
  seq += 1;
  return `${prefix}-${seq}`;
}

export function setError(slot: FieldSlot, message: string | null): void {
  slot.error.textContent = message ?? '';
  slot.group.classList.toggle(slot.errorClass, !!message);
  if (slot.focus instanceof HTMLInputElement || slot.focus instanceof HTMLTextAreaElement || slot.focus instanceof HTMLSelectElement) {
    if (message) slot.focus.setAttribute('aria-invalid', 'true');
    else slot.focus.removeAttribute('aria-invalid');
  }
}

export function setWarning(slot: FieldSlot, message: string | null): void {
  slot.warning.textContent = message ?? '';
}

export interface InputOptions {
  name: string;
  label: string;
  hint?: string;
  type?: string;
  textarea?: boolean;
  required?: boolean;
  value?: string;
  autocomplete?: string;
  maxLength?: number;
  inputmode?: string;
  idPrefix?: string;
}

/** A labelled text input (or textarea) with hint, error and warning. */
export function inputField(o: InputOptions): {el: HTMLElement; input: HTMLInputElement | HTMLTextAreaElement; slot: FieldSlot} {
  const id = uid(o.idPrefix ?? `champ-${o.name}`);
  const hintId = `${id}-aide`;
  const errId = `${id}-erreur`;
  const warnId = `${id}-avertissement`;
  const attrs = {
    id,
    name: o.name,
    class: o.textarea ? 'fr-input' : 'fr-input',
    'aria-describedby': [o.hint ? hintId : null, errId, warnId].filter(Boolean).join(' '),
    required: o.required ?? false,
    'aria-required': o.required ? 'true' : null,
    autocomplete: o.autocomplete ?? null,
    maxlength: o.maxLength ?? null,
    inputmode: o.inputmode ?? null,
    spellcheck: o.type === 'email' || o.type === 'url' || o.type === 'tel' ? 'false' : null,
  };
  const input = o.textarea ? h('textarea', {...attrs, rows: 4}) : h('input', {...attrs, type: o.type ?? 'text'});
  input.value = o.value ?? '';
  const error = h('p', {id: errId, class: 'fr-error-text champ__message'});
  const warning = h('p', {id: warnId, class: 'champ__avertissement'});
  const group = h(
    'div',
    {class: 'fr-input-group', 'data-champ': o.name},
    h('label', {class: 'fr-label', for: id}, o.label, o.required ? h('span', {class: 'champ__requis'}, ' (obligatoire)') : null, o.hint ? h('span', {class: 'fr-hint-text', id: hintId}, o.hint) : null),
    input,
    error,
    warning,
  );
  return {el: group, input, slot: {name: o.name, group, focus: input, error, warning, errorClass: 'fr-input-group--error'}};
}

/** A group of checkboxes (or radios) in a fieldset with its legend. */
export function choiceGroup(o: {
  name: string;
  legend: string;
  hint?: string;
  values: {value: string; label: string}[];
  checked: string[];
  radio?: boolean;
  required?: boolean;
}): {el: HTMLFieldSetElement; inputs: HTMLInputElement[]; slot: FieldSlot} {
  const id = uid(`groupe-${o.name}`);
  const hintId = `${id}-aide`;
  const errId = `${id}-erreur`;
  const warnId = `${id}-avertissement`;
  const inputs: HTMLInputElement[] = [];
  const items = o.values.map((v, i) => {
    const inputId = `${id}-${i}`;
    const input = h('input', {type: o.radio ? 'radio' : 'checkbox', id: inputId, name: o.name, value: v.value, 'aria-describedby': errId});
    input.checked = o.checked.includes(v.value);
    inputs.push(input);
    return h('div', {class: 'fr-fieldset__element'}, h('div', {class: o.radio ? 'fr-radio-group' : 'fr-checkbox-group'}, input, h('label', {class: 'fr-label', for: inputId}, v.label)));
  });
  const error = h('p', {id: errId, class: 'fr-error-text champ__message'});
  const warning = h('p', {id: warnId, class: 'champ__avertissement'});
  const el = h(
    'fieldset',
    {class: 'fr-fieldset', id, 'data-champ': o.name, role: o.radio ? 'radiogroup' : null, 'aria-describedby': [o.hint ? hintId : null, errId, warnId].filter(Boolean).join(' '), 'aria-required': o.required ? 'true' : null},
    h('legend', {class: 'fr-fieldset__legend fr-text--regular'}, o.legend, o.required ? h('span', {class: 'champ__requis'}, ' (obligatoire)') : null, o.hint ? h('span', {class: 'fr-hint-text', id: hintId}, o.hint) : null),
    items,
    h('div', {class: 'fr-messages-group'}, error, warning),
  );
  return {el, inputs, slot: {name: o.name, group: el, focus: inputs[0] ?? el, error, warning, errorClass: 'fr-fieldset--error'}};
}

/** An alert (DSFR) with a title and lines or nodes. */
export function alertBox(kind: 'error' | 'success' | 'info' | 'warning', title: string, ...content: (Node | string | null)[]): HTMLElement {
  return h('div', {class: `fr-alert fr-alert--${kind} fr-mb-3w`}, h('h3', {class: 'fr-alert__title'}, title), ...content);
}

/** Shows a message in a status or alert region. */
export function say(region: HTMLElement, kind: 'error' | 'success' | 'info' | 'warning' | null, message: string): void {
  if (!kind || !message) {
    replaceChildren(region);
    return;
  }
  replaceChildren(region, h('div', {class: `fr-alert fr-alert--${kind} fr-alert--sm`}, h('p', {}, message)));
}

/** "3 décembre 2026 à 10:05" from RFC 3339. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat('fr-FR', {dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris'}).format(new Date(t));
}

/** Days since an RFC 3339 date. */
export function ageInDays(iso: string, now = Date.now()): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.floor((now - t) / 86_400_000);
}
