// Exports: the indicators of the level as CSV or GeoJSON, the places
// matching the filters, the white zones — each link built from the current
// parameters, which the files record — and the printable portrait of a
// territory: title, key figures and ranks, plots, a picture of the map,
// parameters and date.

import {apiURL, type TerritoryDetail} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatDate, formatDecimal} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {figureRows, figuresList} from './figures.ts';
import {INDICATORS, LEVEL_NAMES} from './indicators.ts';
import {apiParams, supplyParams, type DashState, type Level} from './state.ts';
import {LEVEL_TITLES, portraitCharts, rankBase} from './territory.ts';

const NBSP = '\u00a0';

/** The download links of a state. */
export function exportLinks(d: DashState): {label: string; href: string; file: string; kind: string}[] {
  const p = apiParams(d.params);
  const level = LEVEL_NAMES[d.niveau];
  const withLevel = (format: string) => {
    const q = new URLSearchParams(p);
    q.set('level', d.niveau);
    q.set('format', format);
    return q;
  };
  return [
    {label: `Indicateurs par ${level.one}`, href: apiURL('/api/indicators', withLevel('csv')), file: `indicateurs-${d.niveau}.csv`, kind: 'CSV'},
    {label: `Indicateurs et contours par ${level.one}`, href: apiURL('/api/indicators', withLevel('geojson')), file: `indicateurs-${d.niveau}.geojson`, kind: 'GeoJSON'},
    {label: 'Zones blanches (carrés de 1 km)', href: apiURL('/api/whitezones', p), file: 'zones-blanches.geojson', kind: 'GeoJSON'},
    {label: 'Lieux pris en compte', href: apiURL('/api/export/sites.csv', supplyParams(d.params)), file: 'lieux.csv', kind: 'CSV, schéma national'},
  ];
}

/** The parameters in words, for the portrait and the exports. */
export function parametersText(d: DashState): string[] {
  const p = d.params;
  return [
    `Seuil de la zone blanche : ${formatDecimal(p.seuil, 0)}${NBSP}minutes`,
    `Vitesse : ${formatDecimal(p.vitesse, 0)}${NBSP}km/h ; détour : ${formatDecimal(p.detour, 2)} × la distance à vol d’oiseau`,
    `Services : ${p.services.length ? p.services.join(', ') : 'tous'}`,
    `Dispositifs : ${p.dispositifs.length ? p.dispositifs.join(', ') : 'tous les lieux'}`,
  ];
}

export class ExportsPanel {
  readonly #root: HTMLElement;

  constructor(store: Store, root: HTMLElement) {
    this.#root = root;
    store.subscribe((s, prev) => {
      if (s.dash.params !== prev.dash.params || s.dash.niveau !== prev.dash.niveau) this.#render(s);
    });
    this.#render(store.state);
  }

  #render(s: AppState): void {
    replaceChildren(
      this.#root,
      h('h2', {class: 'tdb-section__titre', id: 'tdb-exports-titre'}, 'Exporter'),
      h(
        'ul',
        {class: 'tdb-exports'},
        exportLinks(s.dash).map((l) =>
          h('li', {}, h('a', {class: 'fr-link fr-link--download', href: l.href, download: l.file, 'data-format': l.kind}, l.label, h('span', {class: 'fr-link__detail'}, l.kind))),
        ),
      ),
      h('p', {class: 'tdb-note'}, 'Chaque fichier reprend les paramètres choisis ci-dessus. Le portrait imprimable d’un territoire est proposé avec son portrait.'),
    );
  }
}

export interface PortraitInput {
  dash: DashState;
  detail: TerritoryDetail;
  /** PNG data: URL of the map, or null. */
  map: string | null;
  link: string;
  today?: Date;
}

/** The printed portrait of a territory. */
export function portrait(o: PortraitInput): HTMLElement[] {
  const d = o.detail;
  const det = d.detail;
  const seuil = d.params.threshold_min;
  const isRegion = det.level === 'region';
  const level = det.level as Level | 'region';
  const kind = isRegion ? 'Région' : LEVEL_TITLES[level] ?? level;
  const today = (o.today ?? new Date()).toISOString().slice(0, 10);
  return [
    h('p', {class: 'portrait__surtitre'}, 'Portrait de territoire — accès aux lieux de médiation numérique'),
    h('h1', {}, isRegion ? 'Région' : det.name),
    h('p', {}, `${kind}${isRegion ? '' : ` · code ${det.code}`} · ${formatDecimal(det.population, 0)} habitants · ${formatDecimal(det.sites, 0)} lieux`),
    h('h2', {}, 'Chiffres clés'),
    figuresList(figureRows(det, seuil, rankBase(d)), 'portrait__chiffres'),
    isRegion ? null : h('p', {class: 'portrait__note'}, 'Rang 1 = le mieux desservi parmi les territoires du même niveau de la région.'),
    o.map ? h('h2', {}, 'Carte') : null,
    o.map ? h('img', {class: 'portrait__carte', src: o.map, alt: `Carte de ${isRegion ? 'la région' : det.name} : ${INDICATORS[o.dash.indicateur].label.toLowerCase()} par ${LEVEL_NAMES[o.dash.niveau].one}`}) : null,
    h('h2', {}, 'Graphiques'),
    h('div', {class: 'portrait__graphiques'}, portraitCharts(d, seuil, 'portrait')),
    h('h2', {}, 'Paramètres'),
    h('ul', {}, parametersText(o.dash).map((t) => h('li', {}, t))),
    h('p', {class: 'portrait__note'}, 'Méthode : temps de trajet de chaque habitant (grille de 1 km) au lieu le plus proche, distance à vol d’oiseau × détour, à vitesse constante ; accessibilité E2SFCA (0–10, 10–20, 20–30 min).'),
    h('p', {class: 'impression__lien'}, o.link),
    h('p', {class: 'impression__pied'}, `Cartonum — données : ANCT, La MedNum, IGN, INSEE (Licence Ouverte 2.0). Portrait imprimé le ${formatDate(today)}.`),
  ].filter((x): x is HTMLElement => x !== null);
}

/** Fills the print area with the portrait and opens the print dialog. */
export function printPortrait(o: PortraitInput): void {
  const target = document.getElementById('impression');
  if (!target) return;
  replaceChildren(target, h('article', {class: 'portrait'}, portrait(o)));
  document.body.classList.add('impression-active');
  const done = () => {
    document.body.classList.remove('impression-active');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
