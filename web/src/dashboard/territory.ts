// The portrait of the selected territory (or of the region when none is):
// key figures with ranks, the distribution of travel times, the coverage
// curve and the comparison with its département and the region.

import type {TerritoryDetail} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {plural} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {comparisonChart, coverageChart, histogramChart} from './charts.ts';
import {figureRows, figuresList} from './figures.ts';
import {LEVEL_NAMES} from './indicators.ts';
import {requestKeys} from './loader.ts';
import type {Level} from './state.ts';

export const LEVEL_TITLES: Record<string, string> = {commune: 'Commune', epci: 'EPCI', departement: 'Département', region: 'Région'};

/** The count of territories of a level, and its plural name. */
export function rankBase(d: TerritoryDetail): {total: number; unit: string} | undefined {
  const level = d.detail.level as Level | 'region';
  if (level === 'region') return undefined;
  const total = level === 'commune' ? d.counts.communes : level === 'epci' ? d.counts.epci : d.counts.departements;
  return {total, unit: LEVEL_NAMES[level].many};
}

/** The plots of a portrait (also printed). */
export function portraitCharts(d: TerritoryDetail, seuil: number, prefix: string): HTMLElement[] {
  const det = d.detail;
  const charts = [histogramChart(`${prefix}-histogramme`, det.histogram, seuil, det.beyond_share), coverageChart(`${prefix}-couverture`, det.coverage, seuil)];
  if (d.compare.length > 1) charts.push(comparisonChart(`${prefix}-comparaison`, d.compare));
  return charts;
}

export interface TerritoryOptions {
  store: Store;
  root: HTMLElement;
  onPrint: () => void;
}

export class TerritoryPanel {
  readonly #o: TerritoryOptions;
  #focusPending = false;

  constructor(o: TerritoryOptions) {
    this.#o = o;
    o.root.addEventListener('click', (e) => {
      const t = e.target as Element;
      if (t.closest('[data-action="region"]')) {
        o.store.updateDash({territoire: null}, 'push');
        this.#focusPending = true;
      } else if (t.closest('[data-action="imprimer"]')) o.onPrint();
    });
    o.store.subscribe((s, prev) => {
      // A territory chosen on the map: bring its portrait into view in the
      // side panel (on a phone, the page would scroll away from the map).
      const side = window.matchMedia('(min-width: 48em)').matches;
      if (side && s.dash.territoire && s.dash.territoire !== prev.dash.territoire && s.route === prev.route) {
        const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
        if (!o.root.contains(document.activeElement)) o.root.scrollIntoView({block: 'start', behavior: reduce ? 'auto' : 'smooth'});
      }
      if (s.board.detail !== prev.board.detail || s.board.loading.detail !== prev.board.loading.detail || s.dash.territoire !== prev.dash.territoire) this.#render(s);
    });
    this.#render(o.store.state);
  }

  /** Moves the focus to the portrait's title once it shows the territory. */
  focusWhenReady(): void {
    this.#focusPending = true;
    this.#render(this.#o.store.state);
  }

  #render(s: AppState): void {
    const root = this.#o.root;
    const wanted = requestKeys(s.dash).detail;
    const cur = s.board.detail;
    const current = cur !== null && cur.key === wanted;
    if (!current) root.setAttribute('aria-busy', 'true');
    else root.removeAttribute('aria-busy');
    if (!cur) {
      replaceChildren(root, h('h2', {class: 'tdb-section__titre', id: 'tdb-territoire-titre', tabindex: -1}, 'Territoire'), h('p', {}, 'Chargement…'));
      return;
    }
    // Keep showing the previous portrait while the next one loads.
    if (!current && root.dataset['cle'] === cur.key) return;
    const d = cur.data;
    const det = d.detail;
    const seuil = d.params.threshold_min;
    const isRegion = det.level === 'region';
    const title = h('h2', {class: 'tdb-section__titre tdb-territoire__titre', id: 'tdb-territoire-titre', tabindex: -1}, isRegion ? 'Portrait de la région' : det.name);
    const sub = isRegion
      ? 'Choisissez un territoire sur la carte ou dans la liste pour voir son portrait.'
      : `${LEVEL_TITLES[det.level] ?? det.level} · code ${det.code} · ${plural(Math.round(det.population), 'habitant', 'habitants')}`;
    replaceChildren(
      root,
      h('div', {class: 'tdb-territoire__entete'}, title, isRegion ? null : h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-arrow-left-line', 'data-action': 'region'}, 'Région')),
      h('p', {class: 'tdb-sous-titre'}, sub),
      figuresList(figureRows(det, seuil, rankBase(d))),
      isRegion ? null : h('p', {class: 'tdb-note'}, 'Rang 1 = le mieux desservi.'),
      ...portraitCharts(d, seuil, 'tdb'),
      h(
        'div',
        {class: 'tdb-actions'},
        h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary fr-btn--icon-left fr-icon-printer-line', 'data-action': 'imprimer'}, isRegion ? 'Imprimer le portrait de la région' : 'Imprimer le portrait du territoire'),
      ),
    );
    root.dataset['cle'] = cur.key;
    root.dataset['code'] = det.code;
    if (current && this.#focusPending) {
      this.#focusPending = false;
      root.querySelector<HTMLElement>('#tdb-territoire-titre')?.focus();
    }
  }
}
