// Commune or postcode search: an ARIA 1.2 combobox with a list box of
// suggestions from /api/search (keyboard: up, down, enter, escape).

import {searchCommunes, type SearchResult} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatCount} from '../format.ts';

export interface ComboboxOptions {
  input: HTMLInputElement;
  listbox: HTMLUListElement;
  status: HTMLElement;
  onSelect: (r: SearchResult) => void;
  /** Delay before asking the server, in ms. */
  delay?: number;
}

export class CommuneCombobox {
  readonly #o: ComboboxOptions;
  #results: SearchResult[] = [];
  #active = -1;
  #timer = 0;
  #abort: AbortController | null = null;

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

  /** Shows a value without searching (e.g. the chosen commune). */
  setValue(text: string): void {
    this.#o.input.value = text;
    this.#results = [];
    this.close();
  }

  close(): void {
    this.#o.listbox.hidden = true;
    this.#o.input.setAttribute('aria-expanded', 'false');
    this.#o.input.removeAttribute('aria-activedescendant');
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
      this.#results = [];
      replaceChildren(this.#o.listbox);
      this.close();
      this.#o.status.textContent = q.length ? 'Saisissez au moins deux caractères.' : '';
      return;
    }
    this.#timer = window.setTimeout(() => void this.#search(q), this.#o.delay ?? 180);
  }

  async #search(q: string): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const results = await searchCommunes(q, abort.signal);
      if (abort.signal.aborted) return;
      this.#results = results;
      this.#render();
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      this.#results = [];
      this.#render();
      this.#o.status.textContent = 'La recherche a échoué. Réessayez dans un instant.';
    }
  }

  #render(): void {
    const {listbox, input, status} = this.#o;
    this.#active = -1;
    input.removeAttribute('aria-activedescendant');
    if (this.#results.length === 0) {
      replaceChildren(listbox);
      this.close();
      status.textContent = 'Aucune commune trouvée.';
      return;
    }
    replaceChildren(
      listbox,
      this.#results.map((r, i) =>
        h(
          'li',
          {role: 'option', id: `suggestion-${i}`, 'aria-selected': 'false', 'data-index': i},
          h('span', {}, r.label),
          h('span', {class: 'indice'}, r.codePostal ? `(${r.codeDepartement})` : r.codesPostaux.slice(0, 2).join(', ')),
        ),
      ),
    );
    this.#open();
    const n = this.#results.length;
    status.textContent = `${formatCount(n)} commune${n > 1 ? 's' : ''} proposée${n > 1 ? 's' : ''}. Flèches haut et bas pour parcourir, Entrée pour choisir.`;
  }

  #move(to: number): void {
    const n = this.#results.length;
    if (n === 0) return;
    this.#open();
    const items = this.#o.listbox.querySelectorAll<HTMLElement>('[role="option"]');
    items[this.#active]?.setAttribute('aria-selected', 'false');
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
    const r = this.#results[i];
    if (!r) return;
    this.#o.input.value = r.label;
    this.close();
    this.#o.status.textContent = `${r.nom} choisie.`;
    this.#o.onSelect(r);
  }
}
