// The planners' dashboard ("Tableau de bord"), loaded on demand by the
// shell: wires the controls, the loader, the map, the legend and the
// panels to the one store.

import {getTileJSON, type TileJSON} from '../api.ts';
import {announce, byId, h, replaceChildren} from '../dom.ts';
import {TERRITORY_LAYERS} from '../map/style.ts';
import {plural} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {Controls} from './controls.ts';
import {EdgeInfo, outsideText, uncertainText} from './edge.ts';
import {ExportsPanel, printPortrait, type PrintedLegend} from './exports.ts';
import {INDICATORS, LEVEL_NAMES, valueOf} from './indicators.ts';
import type {Scale} from './legend.ts';
import {LegendView} from './legendview.ts';
import {DashboardLoader} from './loader.ts';
import {BoardMap} from './mapboard.ts';
import {Overview} from './overview.ts';
import {PriorityPanel} from './priorities.ts';
import {ScenarioPanel} from './scenario.ts';
import {SitingPanel} from './siting.ts';
import {supplyParams} from './state.ts';
import {TerritoryPanel} from './territory.ts';

/** The scale of the current indicator over the fetched territories,
 * computed once per result (map and legend share the same object). */
function scaleOf(store: Store): () => Scale | null {
  let memo: {key: string; indicator: string; scale: Scale} | null = null;
  return () => {
    const s = store.state;
    const ind = s.board.indicators;
    if (!ind) return null;
    if (!memo || memo.key !== ind.key || memo.indicator !== s.dash.indicateur) {
      const def = INDICATORS[s.dash.indicateur];
      memo = {key: ind.key, indicator: s.dash.indicateur, scale: def.scale(ind.data.map((i) => valueOf(i, s.dash.indicateur)))};
    }
    return memo.scale;
  };
}

/** The legend of the map as printed with the portrait. */
function printedLegendOf(s: AppState, scale: Scale | null, edge: EdgeInfo): PrintedLegend | null {
  const ind = s.board.indicators;
  if (!ind || !scale) return null;
  const notes: string[] = [];
  if (s.dash.zones) notes.push(`Hachures : zone blanche, à plus de ${s.dash.params.seuil}${'\u00a0'}min d’un lieu.`);
  if (s.dash.zones && edge.edge && (edge.zones?.uncertain ?? 0) > 0) notes.push(`Hachures pâles en pointillés : ${uncertainText(edge.edge).replace(/^Zone blanche incertaine : /, 'zone blanche incertaine, ')}`);
  return {
    title: INDICATORS[s.dash.indicateur].title(s.dash.params.seuil),
    level: LEVEL_NAMES[ind.level].one,
    classes: scale.labels.map((label, i) => ({label, color: scale.colors[i]!})),
    notes,
  };
}

function showMode(s: AppState): void {
  byId('tdb-scenario').hidden = s.dash.mode !== 'scenario';
  byId('tdb-implantation').hidden = s.dash.mode !== 'implantation';
  byId('page-tableau-de-bord').dataset['mode'] = s.dash.mode;
}

export async function mountDashboard(store: Store): Promise<{resize: () => void}> {
  const scale = scaleOf(store);
  const message = byId('tdb-message');
  const live = byId('tdb-annonce');

  new Controls(store, byId('tdb-mode'), byId('tdb-parametres'));
  const edge = new EdgeInfo();
  const printedLegend = (s: AppState) => printedLegendOf(s, scale(), edge);
  const loader = new DashboardLoader(store, edge);
  let map: BoardMap | null = null;

  const territory = new TerritoryPanel({
    store,
    edge,
    root: byId('tdb-territoire'),
    onPrint: () => {
      const s = store.state;
      const detail = s.board.detail?.data;
      if (!detail) return;
      const t = s.dash.territoire ? {level: s.dash.niveau, code: s.dash.territoire} : null;
      void (map?.snapshot(t) ?? Promise.resolve(null)).then((snap) =>
        printPortrait({dash: store.state.dash, detail, map: snap, legend: printedLegend(store.state), edge: edge.edge ? outsideText(edge.edge) : null, link: window.location.href}),
      );
    },
  });
  new Overview({
    store,
    region: byId('tdb-region'),
    territories: byId('tdb-territoires'),
    onPick: (code, fromButton) => {
      const s = store.state;
      if (s.board.indicators?.level !== s.dash.niveau) return;
      store.updateDash({territoire: code}, 'push');
      store.moveCamera({map: 'tableau', territory: {level: s.dash.niveau, code}});
      if (fromButton) territory.focusWhenReady();
    },
  });
  // The priority view, after the territories' list (its section is made
  // here: the page's markup belongs to the shell).
  const prioRoot = h('section', {class: 'tdb-section', id: 'tdb-priorites', 'aria-labelledby': 'tdb-priorites-titre'});
  byId('tdb-territoires').after(prioRoot);
  new PriorityPanel(store, prioRoot, (code) => {
    store.updateDash({territoire: code}, 'push');
    store.moveCamera({map: 'tableau', territory: {level: store.state.dash.niveau, code}});
    territory.focusWhenReady();
  });
  const scenario = new ScenarioPanel({store, root: byId('tdb-scenario'), addAtCenter: () => map?.addAtCenter()});
  new SitingPanel(store, byId('tdb-implantation'));
  new ExportsPanel(store, byId('tdb-exports'));
  new LegendView(store, byId('tdb-legende'), scale, edge);

  // Errors, and a short announcement when the map shows new figures.
  store.subscribe((s, prev) => {
    if (s.route !== 'tableau-de-bord') return;
    if (s.board.error !== prev.board.error) {
      replaceChildren(message, s.board.error ? h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, s.board.error)) : null);
    }
    if (s.board.indicators !== prev.board.indicators || s.dash.indicateur !== prev.dash.indicateur) {
      const ind = s.board.indicators;
      if (ind) announce(live, `Carte : ${INDICATORS[s.dash.indicateur].label.toLowerCase()}, par ${LEVEL_NAMES[ind.level].one}, ${plural(ind.data.length, 'territoire', 'territoires')}.`);
    }
    if (s.dash.mode !== prev.dash.mode) showMode(s);
    // For tests and styles: whether a request is under way.
    const busy = Object.values(s.board.loading).some(Boolean);
    byId('page-tableau-de-bord').dataset['chargement'] = busy ? '1' : '0';
  });
  showMode(store.state);
  loader.run();

  const mapEl = byId('tdb-carte');
  let territories: TileJSON;
  let sites: TileJSON;
  try {
    [territories, sites] = await Promise.all([
      // With the names of the territories (labels, as on the public map).
      getTileJSON(TERRITORY_LAYERS, new URLSearchParams()),
      getTileJSON('sites', supplyParams(store.state.dash.params)),
    ]);
  } catch (err) {
    replaceChildren(mapEl, h('div', {class: 'fr-alert fr-alert--error fr-m-2w'}, h('p', {}, `La carte n'a pas pu être chargée : ${(err as Error).message}`)));
    return {resize: () => {}};
  }
  map = new BoardMap({
    container: mapEl,
    tooltip: byId('tdb-infobulle'),
    crosshair: byId('tdb-viseur'),
    zoomHint: byId('tdb-zoom-indice'),
    store,
    territories,
    sites,
    scale,
    edge,
    additionKind: () => scenario.kind(),
    padding: () => {
      // Leave the legend's room on the left when the map is wide enough.
      const legend = byId('tdb-legende');
      const wide = mapEl.clientWidth > 2.2 * legend.offsetWidth;
      return {top: 24, bottom: 24, right: 24, left: wide ? legend.offsetWidth + 24 : 24};
    },
  });
  const m = map;
  return {resize: () => m.resize()};
}
