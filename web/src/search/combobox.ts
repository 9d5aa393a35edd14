// One search box for communes (typos forgiven by the server), postcodes,
// place names and (when the server has a geocoder) addresses: an ARIA 1.2
// combobox with a list box of suggestions from /api/search and
// /api/geocode (keyboard: up, down, enter, escape). Addresses, then places,
// come in groups (role="group", named) after the communes; every option of
// the flat list has its own id for aria-activedescendant. A street address
// typed without a geocoder is answered with a message saying so.

import {geocode, search, type GeocodeResult, type PlaceResult, type SearchResult} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatCount} from '../format.ts';
import {looksLikeStreet, NO_STREET_SEARCH, suggestionGroups, suggestionStatus, wantsAddress} from './suggest.ts';

export interface ComboboxOptions {
  input: HTMLInputElement;
  listbox: HTMLUListElement;
  status: HTMLElement;
  onSelect: (r: SearchResult) => void;
  /** An address was chosen (address search enabled only). */
  onSelectAddress?: (a: GeocodeResult) => void;
  /** A place was chosen by its name. */
  onSelectPlace?: (p: PlaceResult) => void;
  /** The address search failed (French message), or succeeded again (''). */
  onAddressError?: (message: string) => void;
  /** A street address cannot be searched (French message), or '' . */
  onStreetMessage?: (message: string) => void;
  /** Delay before asking the server, in ms. */
  delay?: number;
}

type Item = {kind: 'commune'; r: SearchResult} | {kind: 'adresse'; a: GeocodeResult} | {kind: 'lieu'; p: PlaceResult};

const ADDRESS_LIMIT = 5;

export class CommuneCombobox {
  readonly #o: ComboboxOptions;
  #communes: SearchResult[] = [];
  #addresses: GeocodeResult[] = [];
  #places: PlaceResult[] = [];
  /** The server's message when a street address cannot be searched. */
  #streetMessage = '';
  #results: Item[] = [];
  #active = -1;
  #timer = 0;
  #abort: AbortController | null = null;
  #addressesEnabled = false;

  constructor(o: ComboboxOptions) {
    this.#o = o;
    o.input.addEventListener('input', () => this.#schedule());
    o.input.addEventListener('keydown', (e) => this.#onKey(e));
    o.input.addEventListener('blur', () => window.setTimeout(() => this.close(), 150));
    o.input.addEventListener('focus', () => {
      if (this.#results.length && o.input.value.trim().length >= 2) this.#open();
    });
    // Keep the focus in the input when an option is clicked.
    o.listbox.addEventListener('mousedown', (e) => e.preventDefault());
    o.listbox.addEventListener('click', (e) => {
      const li = (e.target as Element).closest('[role="option"]');
      if (!li) return;
      this.#choose(Number(li.getAttribute('data-index')));
    });
  }

  /** Also suggests addresses (the server has a geocoder). */
  enableAddresses(): void {
    this.#addressesEnabled = true;
    this.#noGeocoder = false;
  }

  /** The server has no geocoder: a street address typed is answered with
   * a message (also when the server does not say it). */
  disableAddresses(): void {
    this.#addressesEnabled = false;
    this.#noGeocoder = true;
  }

  #noGeocoder = false;

  /** Shows a value without searching (e.g. the chosen commune). */
  setValue(text: string): void {
    this.#o.input.value = text;
    this.#communes = [];
    this.#addresses = [];
    this.#places = [];
    this.#results = [];
    this.close();
  }

  close(): void {
    this.#o.listbox.hidden = true;
    this.#o.input.setAttribute('aria-expanded', 'false');
    this.#o.input.removeAttribute('aria-activedescendant');
    this.#o.listbox.querySelector('[aria-selected="true"]')?.setAttribute('aria-selected', 'false');
    this.#active = -1;
  }

  #open(): void {
    this.#o.listbox.hidden = false;
    this.#o.input.setAttribute('aria-expanded', 'true');
  }

  #schedule(): void {
    window.clearTimeout(this.#timer);
    const q = this.#o.input.value.trim();
    if (q.length < 2) {
      this.#abort?.abort();
      this.#communes = [];
      this.#addresses = [];
      this.#places = [];
      this.#results = [];
      replaceChildren(this.#o.listbox);
      this.close();
      this.#o.status.textContent = q.length ? 'Saisissez au moins deux caractères.' : '';
      return;
    }
    this.#timer = window.setTimeout(() => void this.#search(q), this.#o.delay ?? (this.#addressesEnabled ? 250 : 180));
  }

  async #search(q: string): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const withAddresses = this.#addressesEnabled && wantsAddress(q);
    let pending = withAddresses ? 2 : 1;
    let communesFailed = false;
    // Each answer is shown as soon as it comes: communes need not wait for
    // the geocoder.
    const done = () => {
      pending--;
      this.#render(pending > 0, communesFailed);
    };
    this.#communes = [];
    this.#addresses = [];
    this.#places = [];
    this.#streetMessage = '';
    const communes = search(q, abort.signal)
      .then((r) => {
        if (abort.signal.aborted) return;
        this.#communes = r.results;
        this.#places = r.lieux ?? [];
        if (r.adresse_indisponible) this.#streetMessage = r.message || NO_STREET_SEARCH;
        else if (this.#noGeocoder && looksLikeStreet(q)) this.#streetMessage = NO_STREET_SEARCH;
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') communesFailed = true;
      })
      .finally(() => {
        if (!abort.signal.aborted) done();
      });
    const addresses = withAddresses
      ? geocode(q, ADDRESS_LIMIT, abort.signal)
          .then((r) => {
            if (abort.signal.aborted) return;
            this.#addresses = r;
            this.#o.onAddressError?.('');
          })
          .catch((err: unknown) => {
            if ((err as Error).name === 'AbortError' || abort.signal.aborted) return;
            this.#o.onAddressError?.(
              "La recherche d'adresse est indisponible pour le moment. La recherche par commune ou code postal reste possible.",
            );
          })
          .finally(() => {
            if (!abort.signal.aborted) done();
          })
      : Promise.resolve();
    await Promise.all([communes, addresses]);
  }

  /** Shows the suggestions; waiting: another answer is still expected. */
  #render(waiting: boolean, communesFailed: boolean): void {
    const {listbox, input, status} = this.#o;
    const prev = this.#results;
    const items: Item[] = [
      ...this.#communes.map((r): Item => ({kind: 'commune', r})),
      ...this.#addresses.map((a): Item => ({kind: 'adresse', a})),
      ...this.#places.map((p): Item => ({kind: 'lieu', p})),
    ];
    this.#o.onStreetMessage?.(this.#streetMessage);
    // Keep the active option when addresses arrive after the communes
    // (the communes keep their indices).
    const was = prev[this.#active];
    const now = items[this.#active];
    const keep = was?.kind === 'commune' && now?.kind === 'commune' && was.r === now.r ? this.#active : -1;
    this.#results = items;
    this.#active = -1;
    input.removeAttribute('aria-activedescendant');
    if (items.length === 0) {
      replaceChildren(listbox);
      this.close();
      if (waiting) return;
      status.textContent = communesFailed
        ? 'La recherche a échoué. Réessayez dans un instant.'
        : this.#streetMessage
          ? this.#streetMessage
          : this.#addressesEnabled
          ? suggestionStatus(0, 0, true)
          : 'Aucune commune trouvée.';
      return;
    }
    const option = (it: Item, i: number) =>
      it.kind === 'lieu'
        ? h(
            'li',
            {role: 'option', id: `suggestion-${i}`, 'aria-selected': 'false', 'data-index': i, class: 'suggestions__lieu'},
            h('span', {}, it.p.nom_affiche || it.p.nom),
            h('span', {class: 'indice'}, it.p.commune),
          )
        : it.kind === 'commune'
        ? h(
            'li',
            {role: 'option', id: `suggestion-${i}`, 'aria-selected': 'false', 'data-index': i},
            h('span', {}, it.r.label),
            h('span', {class: 'indice'}, it.r.codePostal ? `(${it.r.codeDepartement})` : it.r.codesPostaux.slice(0, 2).join(', ')),
          )
        : h(
            'li',
            {role: 'option', id: `suggestion-${i}`, 'aria-selected': 'false', 'data-index': i, class: 'suggestions__adresse'},
            h('span', {}, it.a.label),
          );
    const groups = suggestionGroups(this.#communes.length, this.#addresses.length, this.#places.length);
    if (groups.length === 0) {
      replaceChildren(listbox, items.map(option));
    } else {
      // A group's visible heading is hidden from assistive technologies:
      // the group's accessible name (aria-label) says it once.
      replaceChildren(
        listbox,
        groups.map((g) =>
          h(
            'li',
            {role: 'group', 'aria-label': g.label, class: 'suggestions__groupe'},
            h('span', {class: 'suggestions__titre', 'aria-hidden': 'true'}, g.label),
            h('ul', {role: 'none'}, items.slice(g.start, g.start + g.count).map((it, k) => option(it, g.start + k))),
          ),
        ),
      );
    }
    this.#open();
    if (keep >= 0) this.#move(keep);
    const nc = this.#communes.length;
    const na = this.#addresses.length;
    const np = this.#places.length;
    status.textContent = this.#addressesEnabled || np
      ? suggestionStatus(nc, na, this.#addressesEnabled, np)
      : `${formatCount(nc)} commune${nc > 1 ? 's' : ''} proposée${nc > 1 ? 's' : ''}. Flèches haut et bas pour parcourir, Entrée pour choisir.`;
  }

  #move(to: number): void {
    const n = this.#results.length;
    if (n === 0) return;
    this.#open();
    const items = this.#o.listbox.querySelectorAll<HTMLElement>('[role="option"]');
    if (this.#active >= 0) items[this.#active]?.setAttribute('aria-selected', 'false');
    this.#active = (to + n) % n;
    const li = items[this.#active];
    if (!li) return;
    li.setAttribute('aria-selected', 'true');
    this.#o.input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({block: 'nearest'});
  }

  #onKey(e: KeyboardEvent): void {
    const expanded = !this.#o.listbox.hidden;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!expanded && this.#results.length) this.#open();
        this.#move(this.#active + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        this.#move(this.#active < 0 ? this.#results.length - 1 : this.#active - 1);
        break;
      case 'Enter':
        if (expanded && this.#results.length) {
          e.preventDefault();
          this.#choose(this.#active >= 0 ? this.#active : 0);
        }
        break;
      case 'Escape':
        if (expanded) {
          e.preventDefault();
          this.close();
        } else if (this.#o.input.value) {
          e.preventDefault();
          this.#o.input.value = '';
          this.#results = [];
        }
        break;
      case 'Tab':
        this.close();
        break;
    }
  }

  #choose(i: number): void {
    const it = this.#results[i];
    if (!it) return;
    this.#abort?.abort();
    window.clearTimeout(this.#timer);
    this.close();
    if (it.kind === 'commune') {
      this.#o.input.value = it.r.label;
      this.#o.status.textContent = `${it.r.nom} choisie.`;
      this.#o.onSelect(it.r);
    } else if (it.kind === 'lieu') {
      const nom = it.p.nom_affiche || it.p.nom;
      this.#o.input.value = nom;
      this.#o.status.textContent = `${nom} choisi.`;
      this.#o.onSelectPlace?.(it.p);
    } else {
      this.#o.input.value = it.a.label;
      this.#o.status.textContent = `Adresse ${it.a.label} choisie.`;
      this.#o.onSelectAddress?.(it.a);
    }
  }
}
