// The filters: checkbox groups of the national taxonomy and of the extra
// columns (Équipements, Qualifications) in DSFR accordions, plus the two
// filters applied in the browser. Every change goes to the
// store (and so to the URL).

import {h} from '../dom.ts';
import type {Store} from '../store.ts';
import {FACETS, type Facet} from '../taxonomy.ts';
import {countFilters, emptyFilters, type Filters} from '../urlstate.ts';

function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function checkbox(id: string, label: string, name: string, value: string): HTMLElement {
  return h(
    'div',
    {class: 'fr-fieldset__element'},
    h(
      'div',
      {class: 'fr-checkbox-group fr-checkbox-group--sm'},
      h('input', {type: 'checkbox', id, name, value}),
      h('label', {class: 'fr-label', for: id}, label),
    ),
  );
}

export class FiltersPanel {
  readonly #store: Store;
  readonly #root: HTMLElement;
  readonly #toggle: HTMLButtonElement;

  constructor(store: Store, root: HTMLElement, toggle: HTMLButtonElement) {
    this.#store = store;
    this.#root = root;
    this.#toggle = toggle;
    this.#build();
    root.addEventListener('change', (e) => this.#onChange(e));
    root.addEventListener('click', (e) => this.#onClick(e));
    toggle.addEventListener('click', () => store.update({filtersOpen: !store.state.filtersOpen}));
    store.subscribe((s, prev) => {
      if (s.url.filters !== prev.url.filters) this.#sync(s.url.filters);
      if (s.filtersOpen !== prev.filtersOpen) this.#showPanel(s.filtersOpen, true);
    });
    this.#sync(store.state.url.filters);
    this.#showPanel(store.state.filtersOpen, false);
  }

  #build(): void {
    const quick = h(
      'fieldset',
      {class: 'fr-fieldset', 'aria-labelledby': 'filtres-rapides'},
      h('legend', {class: 'fr-fieldset__legend fr-text--regular', id: 'filtres-rapides'}, 'Disponibilité'),
      checkbox('filtre-ouvert', 'Ouvert maintenant', 'ouvert', '1'),
      checkbox('filtre-rdv', 'Prise de rendez-vous en ligne', 'rdv', '1'),
      checkbox('filtre-fs', 'France Services', 'dispositifs', 'France Services'),
    );
    const group = h('div', {class: 'fr-accordions-group'}, FACETS.map((f) => this.#accordion(f)));
    this.#root.append(
      h('h2', {class: 'fr-sr-only', id: 'filtres-titre'}, 'Filtres'),
      quick,
      group,
      h(
        'div',
        {class: 'filtres__actions'},
        h('button', {type: 'button', class: 'fr-btn fr-btn--sm', 'data-action': 'fermer'}, 'Voir les lieux'),
        h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary', 'data-action': 'effacer'}, 'Effacer les filtres'),
      ),
    );
  }

  #accordion(f: Facet): HTMLElement {
    const id = `filtre-${slug(f.param)}`;
    return h(
      'section',
      {class: 'fr-accordion'},
      h(
        'h3',
        {class: 'fr-accordion__title'},
        h('button', {type: 'button', class: 'fr-accordion__btn', 'aria-expanded': 'false', 'aria-controls': `${id}-corps`, 'data-facet': f.param}, f.label),
      ),
      h(
        'div',
        {class: 'fr-collapse', id: `${id}-corps`},
        h(
          'fieldset',
          {class: 'fr-fieldset', 'aria-label': f.label},
          f.values.map((v) => checkbox(`${id}-${slug(v)}`, v, f.param, v)),
        ),
      ),
    );
  }

  #onClick(e: Event): void {
    const target = e.target as Element;
    const acc = target.closest<HTMLButtonElement>('.fr-accordion__btn');
    if (acc) {
      const open = acc.getAttribute('aria-expanded') !== 'true';
      acc.setAttribute('aria-expanded', String(open));
      document.getElementById(acc.getAttribute('aria-controls') ?? '')?.classList.toggle('fr-collapse--expanded', open);
      return;
    }
    const action = target.closest('[data-action]')?.getAttribute('data-action');
    if (action === 'effacer') {
      this.#store.updateUrl({filters: emptyFilters()}, 'push');
    } else if (action === 'fermer') {
      this.#store.update({filtersOpen: false});
    }
  }

  #onChange(e: Event): void {
    const input = e.target as HTMLInputElement;
    if (input.type !== 'checkbox') return;
    const cur = this.#store.state.url.filters;
    const next: Filters = {...cur};
    if (input.name === 'ouvert' || input.name === 'rdv') {
      next[input.name] = input.checked;
    } else {
      const facet = FACETS.find((f) => f.param === input.name);
      if (!facet) return;
      const set = new Set(cur[facet.param]);
      if (input.checked) set.add(input.value);
      else set.delete(input.value);
      next[facet.param] = facet.values.filter((v) => set.has(v));
    }
    this.#store.updateUrl({filters: next, lieu: null}, 'push');
  }

  /** Checks the boxes of the current filters and shows the counts. */
  #sync(f: Filters): void {
    for (const input of this.#root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
      if (input.name === 'ouvert' || input.name === 'rdv') input.checked = f[input.name];
      else {
        const facet = FACETS.find((x) => x.param === input.name);
        input.checked = facet ? f[facet.param].includes(input.value) : false;
      }
    }
    for (const btn of this.#root.querySelectorAll<HTMLButtonElement>('.fr-accordion__btn')) {
      const facet = FACETS.find((x) => x.param === btn.dataset['facet']);
      if (!facet) continue;
      const n = f[facet.param].length;
      btn.textContent = n ? `${facet.label} (${n})` : facet.label;
    }
    const n = countFilters(f);
    this.#toggle.textContent = n ? `Filtres (${n})` : 'Filtres';
    this.#toggle.setAttribute('aria-label', n ? `Filtres, ${n} actif${n > 1 ? 's' : ''}` : 'Filtres');
  }

  #showPanel(open: boolean, moveFocus: boolean): void {
    this.#root.hidden = !open;
    this.#toggle.setAttribute('aria-expanded', String(open));
    if (open && moveFocus) this.#root.querySelector<HTMLInputElement>('input')?.focus();
    else if (!open && moveFocus) this.#toggle.focus();
  }
}
