// The top level at a glance (the region, or the national total when several
// regions are loaded: its key figures for the current parameters) and
// the territories of the level: a list to choose one without the map, and
// the ten least well served for the indicator, as a table. Together with
// the legend they are the text alternative of the choropleth.

import type {IndicatorItem} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatInt} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {figureRows, figuresList, populationLine} from './figures.ts';
import {INDICATORS, LEVEL_NAMES, valueOf, worstFirst} from './indicators.ts';

const WORST = 10;

export interface OverviewOptions {
  store: Store;
  region: HTMLElement;
  territories: HTMLElement;
  /** Called when the user picks a territory from the list or the table. */
  onPick: (code: string, fromButton: boolean) => void;
}

export class Overview {
  readonly #o: OverviewOptions;

  constructor(o: OverviewOptions) {
    this.#o = o;
    o.territories.addEventListener('change', (e) => {
      const sel = e.target as HTMLSelectElement;
      if (sel.id !== 'tdb-choix-territoire') return;
      if (sel.value) o.onPick(sel.value, false);
      else o.store.updateDash({territoire: null}, 'push');
    });
    o.territories.addEventListener('click', (e) => {
      const btn = (e.target as Element).closest<HTMLButtonElement>('button[data-code]');
      if (btn) o.onPick(btn.dataset['code']!, true);
    });
    o.store.subscribe((s, prev) => {
      if (s.board.region !== prev.board.region || s.board.top !== prev.board.top || s.dash.params.seuil !== prev.dash.params.seuil) this.#renderRegion(s);
      if (s.board.indicators !== prev.board.indicators || s.dash.indicateur !== prev.dash.indicateur) this.#renderList(s);
      else if (s.dash.territoire !== prev.dash.territoire) this.#syncSelect(s);
    });
    this.#renderRegion(o.store.state);
    this.#renderList(o.store.state);
  }

  #renderRegion(s: AppState): void {
    const r = s.board.region;
    const top = s.board.top;
    const title = h('h2', {class: 'tdb-section__titre', id: 'tdb-region-titre'}, top?.level === 'national' ? top.name : 'Ensemble de la région');
    if (!r) {
      replaceChildren(this.#o.region, title, h('p', {}, 'Chargement…'));
      return;
    }
    const item = r.data;
    replaceChildren(
      this.#o.region,
      title,
      h('p', {class: 'tdb-sous-titre'}, populationLine(item)),
      figuresList(figureRows(item, s.dash.params.seuil).slice(0, 4), 'tdb-chiffres tdb-chiffres--region'),
    );
    this.#o.region.dataset['cle'] = r.key;
  }

  #renderList(s: AppState): void {
    const root = this.#o.territories;
    const ind = s.board.indicators;
    const title = h('h2', {class: 'tdb-section__titre', id: 'tdb-territoires-titre'}, 'Territoires');
    if (!ind) {
      replaceChildren(root, title, h('p', {}, 'Chargement…'));
      return;
    }
    const names = LEVEL_NAMES[ind.level];
    const def = INDICATORS[s.dash.indicateur];
    const byName = [...ind.data].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
    const label = ind.level === 'commune' ? 'Choisir une commune' : ind.level === 'epci' ? 'Choisir un EPCI' : 'Choisir un département';
    const choose = h(
      'div',
      {class: 'fr-select-group'},
      h('label', {class: 'fr-label', for: 'tdb-choix-territoire'}, label, h('span', {class: 'fr-hint-text'}, 'Ou cliquez sur la carte')),
      h(
        'select',
        {class: 'fr-select', id: 'tdb-choix-territoire'},
        h('option', {value: ''}, 'Ensemble de la région'),
        byName.map((i) => h('option', {value: i.code}, ind.level === 'commune' ? `${i.name} (${i.code})` : i.name)),
      ),
    );
    const worst = worstFirst(ind.data, s.dash.indicateur).slice(0, WORST);
    const rankOf = (i: IndicatorItem, pos: number) => (def.rank ? i.rank[def.rank] ?? pos + 1 : pos + 1);
    const table = h(
      'div',
      {class: 'tdb-table tdb-classement'},
      h(
        'table',
        {},
        h('caption', {}, `Les ${WORST} ${names.many} les moins bien desservis — ${def.label.toLowerCase()}`),
        h(
          'thead',
          {},
          h('tr', {}, h('th', {scope: 'col'}, 'Rang'), h('th', {scope: 'col'}, names.one[0]!.toUpperCase() + names.one.slice(1)), h('th', {scope: 'col'}, 'Valeur'), h('th', {scope: 'col'}, 'Habitants')),
        ),
        h(
          'tbody',
          {},
          worst.map((i, pos) =>
            h(
              'tr',
              {},
              h('td', {}, String(rankOf(i, pos))),
              h('th', {scope: 'row'}, h('button', {type: 'button', class: 'fr-link tdb-lien-territoire', 'data-code': i.code}, i.name)),
              h('td', {}, def.format(valueOf(i, s.dash.indicateur))),
              h('td', {}, formatInt(i.population)),
            ),
          ),
        ),
      ),
    );
    replaceChildren(
      root,
      title,
      choose,
      table,
      h('p', {class: 'tdb-note'}, `Rang 1 = le mieux desservi parmi les ${formatInt(ind.data.length)} ${names.many}. Toutes les valeurs : export CSV ci-dessous.`),
    );
    this.#syncSelect(s);
  }

  #syncSelect(s: AppState): void {
    const sel = this.#o.territories.querySelector<HTMLSelectElement>('#tdb-choix-territoire');
    if (!sel) return;
    const code = s.dash.territoire ?? '';
    sel.value = [...sel.options].some((o) => o.value === code) ? code : '';
  }
}
