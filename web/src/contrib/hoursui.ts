// The opening-hours editor: for each day its time ranges (add, remove,
// closed), the public holidays and dated exceptions; it writes the OSM
// opening_hours string (hoursedit.ts). A value the editor cannot read is
// kept as text, which the volunteer may edit or replace.

import {h, replaceChildren} from '../dom.ts';
import {checkHours, DAY_LABELS, emptyHours, parseOpeningHours, toOpeningHours, type HoursState, type TimeRange} from './hoursedit.ts';
import {uid} from './ui.ts';

export class HoursEditor {
  readonly element: HTMLFieldSetElement;
  readonly error: HTMLElement;
  readonly #body: HTMLElement;
  readonly #output: HTMLElement;
  #state: HoursState = emptyHours();
  /** Raw text when the value could not be read. */
  #raw: string | null = null;
  readonly #id = uid('horaires');

  constructor(initial: string) {
    this.#body = h('div', {class: 'horaires-editeur__corps'});
    this.#output = h('output', {class: 'horaires-editeur__resultat', id: `${this.#id}-resultat`, 'aria-live': 'polite'});
    this.error = h('p', {class: 'fr-error-text champ__message', id: `${this.#id}-erreur`});
    this.element = h(
      'fieldset',
      {class: 'fr-fieldset horaires-editeur', 'data-champ': 'horaires', 'aria-describedby': `${this.#id}-aide ${this.#id}-erreur`},
      h(
        'legend',
        {class: 'fr-fieldset__legend fr-text--regular'},
        "Horaires d'ouverture",
        h('span', {class: 'fr-hint-text', id: `${this.#id}-aide`}, 'Pour chaque jour, ajoutez les plages où le lieu est ouvert (par exemple 09:00 à 12:00 puis 14:00 à 17:00). Un jour sans plage est fermé.'),
      ),
      this.#body,
      h('p', {class: 'horaires-editeur__texte'}, 'Horaires enregistrés (format OpenStreetMap) : ', this.#output),
      this.error,
    );
    this.setValue(initial);
  }

  setValue(raw: string): void {
    const r = parseOpeningHours(raw);
    if (r.ok) {
      this.#state = r.state;
      this.#raw = null;
    } else {
      this.#state = emptyHours();
      this.#raw = raw;
    }
    this.#render();
  }

  /** The opening_hours string. */
  value(): string {
    return this.#raw ?? toOpeningHours(this.#state);
  }

  /** Problems to show (French), empty when the value can be sent. */
  problems(): string[] {
    return this.#raw !== null ? [] : checkHours(this.#state).map((p) => p.message);
  }

  focus(): void {
    this.element.querySelector<HTMLElement>('input, button, textarea')?.focus();
  }

  #changed(): void {
    this.#output.textContent = this.value() || '(aucun horaire)';
  }

  #render(): void {
    if (this.#raw !== null) {
      const id = `${this.#id}-brut`;
      const ta = h('textarea', {class: 'fr-input', id, rows: 2, spellcheck: 'false'});
      ta.value = this.#raw;
      ta.addEventListener('input', () => {
        this.#raw = ta.value;
        this.#changed();
      });
      const restart = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm'}, "Saisir les horaires avec l'éditeur");
      restart.addEventListener('click', () => {
        this.#raw = null;
        this.#state = emptyHours();
        this.#render();
        this.focus();
      });
      replaceChildren(
        this.#body,
        h('p', {class: 'champ__avertissement'}, "Les horaires actuels utilisent une forme que l'éditeur ne sait pas afficher. Vous pouvez corriger le texte ou les saisir à nouveau."),
        h('div', {class: 'fr-input-group'}, h('label', {class: 'fr-label', for: id}, 'Horaires (texte)'), ta),
        restart,
      );
      this.#changed();
      return;
    }
    const days = DAY_LABELS.map((label, d) => this.#rangesBlock(label, this.#state.days[d]!, () => this.#render(), `jour-${d}`));
    const copy = h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm'}, 'Appliquer les horaires du lundi du mardi au vendredi');
    copy.addEventListener('click', () => {
      for (let d = 1; d <= 4; d++) this.#state.days[d] = this.#state.days[0]!.map((r) => ({...r}));
      this.#render();
      this.#output.textContent = this.value() || '(aucun horaire)';
    });

    const phId = `${this.#id}-feries`;
    const ph = h('input', {type: 'checkbox', id: phId});
    ph.checked = this.#state.ph === 'off';
    ph.addEventListener('change', () => {
      this.#state.ph = ph.checked ? 'off' : null;
      this.#changed();
    });

    const exceptions = this.#state.exceptions.map((x, i) => {
      const fromId = `${this.#id}-exc-${i}-debut`;
      const toId = `${this.#id}-exc-${i}-fin`;
      const from = h('input', {type: 'date', class: 'fr-input', id: fromId, value: x.from.length === 10 ? x.from : ''});
      const to = h('input', {type: 'date', class: 'fr-input', id: toId, value: x.to.length === 10 ? x.to : ''});
      from.addEventListener('change', () => {
        x.from = from.value;
        this.#changed();
      });
      to.addEventListener('change', () => {
        x.to = to.value;
        this.#changed();
      });
      const remove = h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm'}, `Retirer l'exception ${i + 1}`);
      remove.addEventListener('click', () => {
        this.#state.exceptions.splice(i, 1);
        this.#render();
        this.element.querySelector<HTMLElement>('[data-action="ajouter-exception"]')?.focus();
      });
      return h(
        'div',
        {class: 'horaires-editeur__exception', role: 'group', 'aria-label': `Exception ${i + 1}`},
        h('div', {class: 'fr-input-group'}, h('label', {class: 'fr-label', for: fromId}, `Fermé du (exception ${i + 1})`), from),
        h('div', {class: 'fr-input-group'}, h('label', {class: 'fr-label', for: toId}, 'au (facultatif, pour plusieurs jours)'), to),
        x.ranges.length ? h('p', {class: 'champ__avertissement'}, `Ouvert ce jour-là : ${x.ranges.map((r) => `${r.start}–${r.end}`).join(', ')}`) : null,
        remove,
      );
    });
    const addException = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm', 'data-action': 'ajouter-exception'}, 'Ajouter une fermeture exceptionnelle');
    addException.addEventListener('click', () => {
      this.#state.exceptions.push({from: '', to: '', ranges: []});
      this.#render();
      const inputs = this.element.querySelectorAll<HTMLInputElement>('.horaires-editeur__exception input[type="date"]');
      inputs[inputs.length - 2]?.focus();
    });

    replaceChildren(
      this.#body,
      h('div', {class: 'horaires-editeur__jours'}, days),
      copy,
      h('div', {class: 'fr-checkbox-group fr-mt-2w'}, ph, h('label', {class: 'fr-label', for: phId}, 'Fermé les jours fériés')),
      h('div', {class: 'horaires-editeur__exceptions'}, h('p', {class: 'fr-text--sm fr-mb-1v'}, 'Fermetures exceptionnelles (congés, jours particuliers)'), exceptions, addException),
    );
    this.#changed();
  }

  #rangesBlock(label: string, ranges: TimeRange[], rerender: () => void, key: string): HTMLElement {
    const rows = ranges.map((r, i) => {
      const a = `${this.#id}-${key}-${i}-debut`;
      const b = `${this.#id}-${key}-${i}-fin`;
      const start = h('input', {type: 'time', class: 'fr-input', id: a, value: r.start, step: 300});
      const end = h('input', {type: 'time', class: 'fr-input', id: b, value: r.end === '24:00' ? '23:59' : r.end, step: 300});
      start.addEventListener('change', () => {
        r.start = start.value;
        this.#changed();
      });
      end.addEventListener('change', () => {
        r.end = end.value === '23:59' ? '24:00' : end.value;
        this.#changed();
      });
      const remove = h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary-no-outline fr-btn--sm', title: `Retirer la plage ${i + 1} du ${label.toLowerCase()}`}, 'Retirer');
      remove.addEventListener('click', () => {
        ranges.splice(i, 1);
        rerender();
        this.element.querySelector<HTMLElement>(`[data-jour="${key}"] [data-action="ajouter"]`)?.focus();
      });
      return h(
        'div',
        {class: 'horaires-editeur__plage'},
        h('div', {class: 'fr-input-group'}, h('label', {class: 'fr-label', for: a}, `${label}, plage ${i + 1} : ouverture`), start),
        h('div', {class: 'fr-input-group'}, h('label', {class: 'fr-label', for: b}, 'fermeture'), end),
        remove,
      );
    });
    const add = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm', 'data-action': 'ajouter', title: `Ajouter une plage le ${label.toLowerCase()}`}, 'Ajouter une plage');
    add.addEventListener('click', () => {
      const last = ranges[ranges.length - 1];
      ranges.push(last ? {start: last.end === '24:00' ? '' : '14:00' > last.end ? '14:00' : last.end, end: ''} : {start: '09:00', end: '12:00'});
      rerender();
      const inputs = this.element.querySelectorAll<HTMLInputElement>(`[data-jour="${key}"] input[type="time"]`);
      inputs[inputs.length - 2]?.focus();
    });
    return h(
      'div',
      {class: 'horaires-editeur__jour', 'data-jour': key, role: 'group', 'aria-label': label},
      h('p', {class: 'horaires-editeur__nom'}, label, ranges.length === 0 ? h('span', {class: 'horaires-editeur__ferme'}, ' — fermé') : null),
      rows,
      add,
    );
  }
}
