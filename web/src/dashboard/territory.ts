// The portrait of the selected territory (or of the top level when none
// is: the region, or the national total when several regions are loaded):
// a breadcrumb from the top level, key figures with ranks, the
// distribution of travel times, the coverage curve and the comparison with
// its département, its region and the top level.

import type {Comparison, IndicatorValues, TerritoryDetail, TopLevel} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {plural} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {comparisonChart, coverageChart, histogramChart} from './charts.ts';
import {figureRows, figuresList} from './figures.ts';
import {LEVEL_NAMES} from './indicators.ts';
import {requestKeys} from './loader.ts';
import type {Level} from './state.ts';
import {currentScenario, deltasOf, type ScenarioMapResult} from './scenariomap.ts';
import {outsideText, type EdgeInfo} from './edge.ts';

/** A territory's figures after a scenario: the region's from the answer,
 * the others as before + delta of their level (null: unchanged). */
export function figuresAfter(d: TerritoryDetail, r: ScenarioMapResult): IndicatorValues | null {
  const det = d.detail;
  if (det.level === r.after.level && det.code === r.after.code) return r.after;
  const x = deltasOf(r, det.level as Level).find((t) => t.code === det.code);
  if (!x) return null;
  return {
    population: det.population,
    sites: det.sites + x.sites,
    sites_per_10k: det.sites_per_10k + x.sites_per_10k,
    mean_minutes: det.mean_minutes + x.mean_minutes,
    p90_minutes: det.p90_minutes + x.p90_minutes,
    mean_km: det.mean_km + x.mean_km,
    p90_km: det.p90_km + x.p90_km,
    beyond_population: det.beyond_population + x.beyond_population,
    beyond_share: det.beyond_share + x.beyond_share,
    access: det.access + x.access,
  };
}

export const LEVEL_TITLES: Record<string, string> = {commune: 'Commune', epci: 'EPCI', departement: 'Département', region: 'Région', national: 'Ensemble'};

/** Whether a portrait is that of the whole loaded territory: the national
 * total, or the region when it is the only one. */
export function isTopLevel(d: TerritoryDetail): boolean {
  return d.detail.level === 'national' || (d.detail.level === 'region' && d.counts.regions === undefined);
}

/** The name of the top level: the national total's, or "Région". */
export function topName(top: TopLevel | null): string {
  return top?.level === 'national' ? top.name : 'Région';
}

/** The count of territories of a level, and its plural name. */
export function rankBase(d: TerritoryDetail): {total: number; unit: string} | undefined {
  if (isTopLevel(d)) return undefined;
  const level = d.detail.level as Level;
  const total = level === 'commune' ? d.counts.communes : level === 'epci' ? d.counts.epci : level === 'region' ? (d.counts.regions ?? 1) : d.counts.departements;
  return {total, unit: LEVEL_NAMES[level].many};
}

/** The breadcrumb of a portrait: from the top level down to the territory,
 * through its region (several loaded) and département, from the
 * comparison rows. */
export function breadcrumb(d: TerritoryDetail, top: TopLevel | null): Comparison[] {
  const det = d.detail;
  const up = d.compare.slice(1).reverse();
  if (up.length === 0 || up[0]!.level !== (top?.level ?? up[0]!.level)) return [];
  return [...up, {level: det.level, code: det.code, name: det.name, sites_per_10k: det.sites_per_10k, mean_minutes: det.mean_minutes, beyond_share: det.beyond_share}];
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
  edge?: EdgeInfo;
}

export class TerritoryPanel {
  readonly #o: TerritoryOptions;
  #focusPending = false;

  constructor(o: TerritoryOptions) {
    this.#o = o;
    o.root.addEventListener('click', (e) => {
      const t = e.target as Element;
      const crumb = t.closest<HTMLElement>('[data-niveau-ariane]');
      if (t.closest('[data-action="region"]')) {
        o.store.updateDash({territoire: null}, 'push');
        this.#focusPending = true;
      } else if (crumb) {
        const level = crumb.dataset['niveauAriane'] as Level | 'national';
        if (level === 'national' || (level === 'region' && o.store.state.board.regions.length < 2)) o.store.updateDash({territoire: null}, 'push');
        else {
          o.store.updateDash({niveau: level, territoire: crumb.dataset['code']!}, 'push');
          o.store.moveCamera({map: 'tableau', territory: {level, code: crumb.dataset['code']!}});
        }
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
      if (
        s.board.detail !== prev.board.detail ||
        s.board.loading.detail !== prev.board.loading.detail ||
        s.dash.territoire !== prev.dash.territoire ||
        s.board.scenario !== prev.board.scenario ||
        s.board.top !== prev.board.top ||
        s.dash.mode !== prev.dash.mode ||
        s.dash.ajouts !== prev.dash.ajouts ||
        s.dash.retraits !== prev.dash.retraits
      ) {
        this.#render(s);
      }
    });
    o.edge?.subscribe(() => this.#render(o.store.state));
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
    const sc = currentScenario(s);
    const scKey = sc?.key ?? '';
    if (!current && root.dataset['cle'] === cur.key && (root.dataset['scenario'] ?? '') === scKey) return;
    const d = cur.data;
    const det = d.detail;
    const seuil = d.params.threshold_min;
    const after = sc && current ? figuresAfter(d, sc.data) : null;
    const edge = this.#o.edge?.edge ?? null;
    const isRegion = isTopLevel(d);
    const national = det.level === 'national';
    const title = h('h2', {class: 'tdb-section__titre tdb-territoire__titre', id: 'tdb-territoire-titre', tabindex: -1}, isRegion ? (national ? `Portrait : ${det.name}` : 'Portrait de la région') : det.name);
    const sub = isRegion
      ? 'Choisissez un territoire sur la carte ou dans la liste pour voir son portrait.'
      : `${LEVEL_TITLES[det.level] ?? det.level} · code ${det.code} · ${plural(Math.round(det.population), 'habitant', 'habitants')}`;
    const crumbs = isRegion ? [] : breadcrumb(d, s.board.top);
    replaceChildren(
      root,
      crumbs.length > 1
        ? h(
            'nav',
            {class: 'tdb-ariane', 'aria-label': 'Fil d’Ariane du territoire'},
            h(
              'ol',
              {class: 'tdb-ariane__liste'},
              crumbs.map((c, i) =>
                h(
                  'li',
                  {class: 'tdb-ariane__element'},
                  i < crumbs.length - 1
                    ? h('button', {type: 'button', class: 'tdb-ariane__lien', 'data-niveau-ariane': c.level, 'data-code': c.code}, c.name || LEVEL_TITLES[c.level] || c.level)
                    : h('span', {'aria-current': 'location'}, c.name),
                ),
              ),
            ),
          )
        : null,
      h('div', {class: 'tdb-territoire__entete'}, title, isRegion ? null : h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary fr-btn--icon-left fr-icon-arrow-left-line', 'data-action': 'region'}, topName(s.board.top))),
      h('p', {class: 'tdb-sous-titre'}, sub),
      after ? h('p', {class: 'tdb-note tdb-avant-apres', id: 'tdb-territoire-scenario'}, 'Avec le scénario : valeur actuelle → valeur après les modifications (rangs et graphiques : situation actuelle).') : null,
      sc && !after ? h('p', {class: 'tdb-note', id: 'tdb-territoire-scenario'}, 'Le scénario ne change pas les chiffres de ce territoire.') : null,
      figuresList(figureRows(det, seuil, rankBase(d), after ?? undefined)),
      isRegion ? null : h('p', {class: 'tdb-note'}, 'Rang 1 = le mieux desservi.'),
      edge ? h('p', {class: 'tdb-note tdb-bord'}, outsideText(edge)) : null,
      ...portraitCharts(d, seuil, 'tdb'),
      h(
        'div',
        {class: 'tdb-actions'},
        h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary fr-btn--icon-left fr-icon-printer-line', 'data-action': 'imprimer'}, isRegion ? 'Imprimer le portrait de la région' : 'Imprimer le portrait du territoire'),
      ),
    );
    root.dataset['cle'] = cur.key;
    root.dataset['code'] = det.code;
    root.dataset['scenario'] = scKey;
    if (current && this.#focusPending) {
      this.#focusPending = false;
      root.querySelector<HTMLElement>('#tdb-territoire-titre')?.focus();
    }
  }
}
