// Exports: the indicators of the level as CSV or GeoJSON, the places
// matching the filters, the white zones — each link built from the current
// parameters, which the files record — and the printable portrait of a
// territory: title, key figures and ranks, plots, a picture of the map,
// parameters and date.

import {apiURL, type TerritoryDetail} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatDate, formatDecimal, formatMinutes, formatPercent} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {figureRows, figuresList} from './figures.ts';
import {INDICATORS, LEVEL_NAMES} from './indicators.ts';
import {apiParams, priorityParams, supplyParams, type DashState, type Level} from './state.ts';
import {isTopLevel, LEVEL_TITLES, portraitCharts, rankBase} from './territory.ts';
import type {Snapshot} from './mapboard.ts';

const NBSP = '\u00a0';

export interface ExportLink {
  /** What the file holds: indicateurs | zones | lieux. */
  what: string;
  /** API format: xlsx | csv-excel | csv | geojson. */
  format: string;
  label: string;
  href: string;
  kind: string;
}

export interface ExportGroup {
  what: string;
  title: string;
  links: ExportLink[];
}

const FORMAT_LABELS: Record<string, {label: string; kind: string}> = {
  xlsx: {label: 'Excel', kind: '.xlsx, avec une feuille « Paramètres »'},
  'csv-excel': {label: 'CSV pour tableur', kind: 'point-virgule, virgule décimale (Excel, LibreOffice)'},
  csv: {label: 'CSV', kind: 'virgule, point décimal (programmes)'},
  geojson: {label: 'GeoJSON', kind: 'avec les contours (SIG)'},
};

/** The downloads of a state, grouped by what they hold; the server names
 * each file (level, parameters, date). */
export function exportGroups(d: DashState): ExportGroup[] {
  const p = apiParams(d.params);
  const level = LEVEL_NAMES[d.niveau];
  const q = (format: string, withLevel: boolean) => {
    const x = new URLSearchParams(p);
    if (withLevel) x.set('level', d.niveau);
    if (format !== 'geojson' || withLevel) x.set('format', format);
    return x;
  };
  const link = (what: string, format: string, path: string, params: URLSearchParams): ExportLink => ({
    what,
    format,
    label: FORMAT_LABELS[format]!.label,
    kind: FORMAT_LABELS[format]!.kind,
    href: apiURL(path, params),
  });
  return [
    {
      what: 'indicateurs',
      title: `Indicateurs par ${level.one}`,
      links: ['xlsx', 'csv-excel', 'csv', 'geojson'].map((f) => link('indicateurs', f, '/api/indicators', q(f, true))),
    },
    {
      what: 'zones',
      title: 'Zones blanches (carrés de 1 km)',
      links: ['xlsx', 'csv-excel', 'geojson'].map((f) => link('zones', f, '/api/whitezones', q(f, false))),
    },
    {
      what: 'priorites',
      title: `Territoires prioritaires par ${level.one} (pondérés par la fragilité)`,
      links: ['xlsx', 'csv-excel', 'csv'].map((f) => {
        const x = priorityParams(d, 0);
        x.set('format', f);
        return link('priorites', f, '/api/priorites', x);
      }),
    },
    {
      what: 'lieux',
      title: 'Lieux pris en compte',
      links: [{what: 'lieux', format: 'csv', label: 'CSV', kind: 'schéma national des lieux de médiation numérique', href: apiURL('/api/export/sites.csv', supplyParams(d.params))}],
    },
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
        exportGroups(s.dash).map((g) =>
          h(
            'li',
            {'data-export': g.what},
            h('p', {class: 'tdb-exports__titre'}, g.title),
            h(
              'ul',
              {class: 'tdb-exports__formats'},
              g.links.map((l) =>
                h(
                  'li',
                  {},
                  h(
                    'a',
                    {class: 'fr-link fr-link--download fr-link--sm', href: l.href, download: '', 'data-export': l.what, 'data-format': l.format},
                    `${l.label}`,
                    h('span', {class: 'fr-sr-only'}, ` : ${g.title.toLowerCase()}`),
                    h('span', {class: 'fr-link__detail'}, l.kind),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      h('p', {class: 'tdb-note'}, 'Chaque fichier reprend les paramètres choisis ci-dessus et porte dans son nom le niveau, les paramètres et la date. Le portrait imprimable d’un territoire est proposé avec son portrait.'),
    );
  }
}

/** The legend printed beside the map: the indicator, the level and each
 * class with its colour. */
export interface PrintedLegend {
  title: string;
  level: string;
  classes: {color: string; label: string}[];
  /** Other marks (white zones…), in words. */
  notes: string[];
}

export interface PortraitInput {
  dash: DashState;
  detail: TerritoryDetail;
  /** The map's picture, or null. */
  map: Snapshot | null;
  legend: PrintedLegend | null;
  /** The region's edge in words ("290 lieux hors région…"). */
  edge?: string | null;
  link: string;
  today?: Date;
}

/** The comparison of the territory with its département and the region,
 * as a table (printed: the plots' tables are left out). */
function comparisonTable(d: TerritoryDetail): HTMLElement | null {
  if (d.compare.length < 1) return null;
  return h(
    'table',
    {class: 'portrait__tableau'},
    h('caption', {}, d.counts.regions === undefined ? 'Comparaison avec le département et la région' : 'Comparaison avec le département, la région et l’ensemble des régions chargées'),
    h('thead', {}, h('tr', {}, ['Territoire', 'Lieux pour 10 000 hab.', 'Temps moyen', 'Part au-delà du seuil'].map((c) => h('th', {scope: 'col'}, c)))),
    h(
      'tbody',
      {},
      d.compare.map((c) =>
        h(
          'tr',
          {},
          h('th', {scope: 'row'}, `${c.name} (${LEVEL_TITLES[c.level] ?? c.level})`),
          h('td', {}, formatDecimal(c.sites_per_10k, 2)),
          h('td', {}, formatMinutes(c.mean_minutes)),
          h('td', {}, formatPercent(c.beyond_share)),
        ),
      ),
    ),
  );
}

/** The map with its legend and scale bar. */
function printedMap(o: PortraitInput, name: string): HTMLElement | null {
  if (!o.map) return null;
  const m = o.map;
  const img = h('img', {class: 'portrait__carte', src: m.png, width: m.width, height: m.height, alt: `Carte de ${name} : ${INDICATORS[o.dash.indicateur].label.toLowerCase()} par ${LEVEL_NAMES[o.dash.niveau].one}`});
  let scale: HTMLElement | null = null;
  if (m.scale) {
    const bar = h('span', {class: 'portrait__echelle-barre', 'aria-hidden': 'true'});
    // CSSOM (allowed by the Content-Security-Policy): the bar's length is
    // its share of the picture's width.
    bar.style.width = `${(m.scale.share * 100).toFixed(2)}%`;
    scale = h('div', {class: 'portrait__echelle'}, bar, h('span', {class: 'portrait__echelle-texte'}, `Échelle : ${m.scale.label}`));
  }
  const lg = o.legend;
  const legend = lg
    ? h(
        'div',
        {class: 'portrait__legende'},
        h('p', {class: 'portrait__legende-titre'}, `Légende — ${lg.title}, par ${lg.level}`),
        h(
          'ul',
          {},
          lg.classes.map((c) => {
            const sw = h('span', {class: 'portrait__pastille', 'aria-hidden': 'true'});
            sw.style.background = c.color;
            return h('li', {}, sw, c.label);
          }),
        ),
        lg.notes.length ? h('ul', {class: 'portrait__legende-notes'}, lg.notes.map((n) => h('li', {}, n))) : null,
      )
    : null;
  return h('figure', {class: 'portrait__figure-carte'}, h('div', {class: 'portrait__cadre'}, img, scale), legend);
}

/** The printed portrait of a territory. */
export function portrait(o: PortraitInput): HTMLElement[] {
  const d = o.detail;
  const det = d.detail;
  const seuil = d.params.threshold_min;
  const isRegion = isTopLevel(d);
  const national = det.level === 'national';
  const level = det.level as Level | 'national';
  const kind = isRegion && !national ? 'Région' : LEVEL_TITLES[level] ?? level;
  const today = (o.today ?? new Date()).toISOString().slice(0, 10);
  const name = isRegion ? (national ? det.name : 'la région') : det.name;
  return [
    h('p', {class: 'portrait__surtitre'}, 'Portrait de territoire — accès aux lieux de médiation numérique'),
    h('h1', {}, isRegion ? (national ? det.name : 'Région') : det.name),
    h('p', {}, `${kind}${isRegion ? '' : ` · code ${det.code}`} · ${formatDecimal(det.population, 0)} habitants · ${formatDecimal(det.sites, 0)} lieux`),
    h('h2', {}, 'Chiffres clés'),
    figuresList(figureRows(det, seuil, rankBase(d)), 'portrait__chiffres'),
    isRegion ? null : h('p', {class: 'portrait__note'}, `Rang 1 = le mieux desservi parmi les territoires du même niveau ${d.counts.regions === undefined ? 'de la région' : 'des régions chargées'}.`),
    o.map ? h('h2', {}, 'Carte') : null,
    printedMap(o, name),
    o.edge ? h('p', {class: 'portrait__note'}, o.edge) : null,
    h('h2', {class: 'portrait__saut'}, 'Graphiques'),
    h('div', {class: 'portrait__graphiques'}, portraitCharts(d, seuil, 'portrait')),
    comparisonTable(d),
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
