// The dashboard's map: colours the tile polygons of the chosen level from
// the indicators fetched from the API (joined by feature id through
// map.setFeatureState), hatches the white zones, outlines the selected
// territory and draws the places, the scenario's changes and the siting
// proposals. Clicks select a territory, or in the scenario mode add a
// hypothetical place or remove an existing one.

import {
  AttributionControl,
  LngLatBounds,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type VectorTileSource,
} from 'maplibre-gl';
import type {Feature, FeatureCollection} from 'geojson';
import {boundsOf, viewBounds} from '../map/bounds.ts';
import {apiURL, getTileJSON, type IndicatorItem, type TileJSON} from '../api.ts';
import {departementFeatureId, featureId, SOURCE_LAYERS} from '../map/featureids.ts';
import {countImage, hatchImage, markImage, pinImage, shortCount} from '../map/images.ts';
import {SITES, TERRITORIES, siteLayerIds} from '../map/style.ts';
import type {AppState, Store} from '../store.ts';
import type {EdgeInfo} from './edge.ts';
import {INDICATORS, valueOf} from './indicators.ts';
import {currentScenario, deltasOf, type ScenarioMapResult} from './scenariomap.ts';
import {stepExpression} from './legend.ts';
import {
  PROPOSALS,
  PROPOSALS_LAYER,
  SCENARIO,
  SCENARIO_LAYER,
  UNCERTAIN_LAYER,
  WHITE_ZONES,
  WHITE_ZONES_LAYER,
  dashboardStyle,
  levelLayers,
  placesFilter,
} from './mapstyle.ts';
import {LEVELS, MAX_ADDITIONS, MAX_REMOVALS, apiParams, showsPlaces, supplyParams, tileLevel, type Addition, type Level} from './state.ts';
import type {Scale} from './legend.ts';
import {communesMinZoom, zoomHint} from './zoomhint.ts';

/** The size of the map's picture in the printed portrait, CSS pixels. */
const SNAPSHOT = {width: 960, height: 720};

/** The map's picture: PNG data: URL, and the scale bar (its label and its
 * length as a share of the picture's width). */
export interface Snapshot {
  png: string;
  scale: {label: string; share: number} | null;
  width: number;
  height: number;
}

const LOCALE: Record<string, string> = {
  'AttributionControl.ToggleAttribution': 'Afficher ou masquer les crédits',
  'Map.Title': 'Carte des indicateurs par territoire',
  'NavigationControl.ResetBearing': 'Réorienter la carte vers le nord',
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
};

export interface BoardMapOptions {
  container: HTMLElement;
  tooltip: HTMLElement;
  crosshair: HTMLElement;
  /** Says to zoom in when the chosen level is not drawn at this zoom. */
  zoomHint: HTMLElement;
  store: Store;
  territories: TileJSON;
  sites: TileJSON;
  /** The scale of the current indicator (shared with the legend). */
  scale: () => Scale | null;
  /** The region's edge and the white cells drawn, shared with the legend. */
  edge: EdgeInfo;
  /** The kind of hypothetical place to add (chosen in the scenario form). */
  additionKind: () => Pick<Addition, 'service' | 'dispositif'>;
  /** Room taken over the map by the legend, left out when framing. */
  padding: () => {top: number; bottom: number; left: number; right: number};
}

export class BoardMap {
  readonly map: MapLibreMap;
  readonly #o: BoardMapOptions;
  #loaded = false;
  /** Level and key of the figures painted, and their feature ids. */
  #painted: {level: Level; key: string; indicator: string; scale: Scale | null; regions: AppState['board']['regions']} | null = null;
  /** The territory of each feature id painted (a region's for each of its
   * départements). */
  #codes = new Map<number, IndicatorItem>();
  #hovered: {level: Level; ids: number[]} | null = null;
  #sitesKey: string;
  #sitesAbort: AbortController | null = null;
  #zonesKey = '';
  #zonesAbort: AbortController | null = null;
  /** The white cells of the parameters (before any scenario). */
  #zonesBase: {key: string; fc: FeatureCollection} | null = null;
  /** What the white-zone source shows: its base and scenario. */
  #zonesShown = '';
  /** The scenario painted on the choropleth: its key, and the value
   * before it of each territory it changed (restored on undo). */
  #scenario: {key: string; indicators: string; indicator: string} | null = null;
  #before = new Map<number, number>();
  #after = new Map<number, number>();
  /** The first zoom of the communes in the territories' tiles. */
  readonly #communesFrom: number;

  constructor(o: BoardMapOptions) {
    this.#o = o;
    this.#communesFrom = communesMinZoom(o.territories);
    const s = o.store.state.dash;
    this.#sitesKey = supplyParams(s.params).toString();
    const bounds = viewBounds(o.territories.bounds);
    this.map = new MapLibreMap({
      container: o.container,
      style: dashboardStyle(o.territories, o.sites),
      ...(s.view
        ? {center: [s.view.lon, s.view.lat] as [number, number], zoom: s.view.zoom}
        : bounds
          ? {bounds: bounds as [number, number, number, number], fitBoundsOptions: {padding: o.padding()}}
          : {center: [2.5, 46.6] as [number, number], zoom: 5}),
      attributionControl: false,
      locale: LOCALE,
      maxZoom: 16,
      minZoom: 4,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      // The territory portrait prints a picture of the map.
      canvasContextAttributes: {preserveDrawingBuffer: true},
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    // For end-to-end tests: the territory at a pixel and its feature state.
    Object.defineProperty(o.container, 'cartonumSonde', {
      value: (x: number, y: number) => {
        const level = this.#level;
        if (!level) return null;
        const f = this.map.queryRenderedFeatures([x, y], {layers: [levelLayers(level).fill]})[0];
        if (typeof f?.id !== 'number') return null;
        return {level, code: this.#codes.get(f.id)?.code ?? null, state: this.map.getFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[tileLevel(level)], id: f.id})};
      },
    });
    this.map.addControl(new NavigationControl({showCompass: false}), 'top-right');
    this.map.addControl(new ScaleControl({unit: 'metric'}), 'bottom-right');
    this.map.addControl(new AttributionControl({compact: true}), 'bottom-right');

    const ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    this.map.setMissingStyleImageResolver((id) => {
      if (id === 'epingle' || id === 'epingle-fs') this.map.addImage(id, pinImage(id === 'epingle-fs', ratio), {pixelRatio: ratio});
      else if (id.startsWith('nombre:')) this.map.addImage(id, countImage(shortCount(Number(id.slice(7))), ratio), {pixelRatio: ratio});
      else if (id === 'ajout' || id === 'retrait') this.map.addImage(id, markImage(id, '', ratio), {pixelRatio: ratio});
      else if (id.startsWith('proposition:')) this.map.addImage(id, markImage('proposition', id.slice(12), ratio), {pixelRatio: ratio});
    });
    this.map.on('load', () => {
      this.map.addImage('hachures', hatchImage(ratio), {pixelRatio: ratio});
      // On small screens the credits start folded behind their button.
      if (window.matchMedia('(max-width: 47.99em)').matches) {
        o.container.querySelector('.maplibregl-compact-show')?.classList.remove('maplibregl-compact-show');
      }
      this.#loaded = true;
      this.#bindEvents();
      this.#render(o.store.state, null);
      o.container.dataset['etat'] = 'chargee';
      this.#whenIdle();
    });
    this.map.on('error', (e) => {
      o.container.dataset['erreur'] = String((e.error as Error | undefined)?.message ?? 'erreur');
    });
    o.store.subscribe((state, prev) => {
      if (this.#loaded && state.route === 'tableau-de-bord') this.#render(state, prev);
    });
  }

  /** Marks the map ready once the figures are painted and tiles drawn. */
  #whenIdle(): void {
    const el = this.#o.container;
    el.dataset['etat'] = 'rendu';
    this.map.once('idle', () => {
      if (el.dataset['etat'] === 'rendu' && this.#painted) el.dataset['etat'] = 'prete';
    });
  }

  #bindEvents(): void {
    const map = this.map;
    map.on('moveend', () => {
      const c = map.getCenter();
      const view = {zoom: map.getZoom(), lat: c.lat, lon: c.lng};
      const cur = this.#o.store.state.dash.view;
      if (cur && Math.abs(cur.zoom - view.zoom) < 0.01 && Math.abs(cur.lat - view.lat) < 1e-5 && Math.abs(cur.lon - view.lon) < 1e-5) return;
      this.#o.store.updateDash({view}, 'replace');
    });
    map.on('zoom', () => this.#showZoomHint());
    map.on('mousemove', (e) => this.#onHover(e));
    map.getCanvas().addEventListener('mouseleave', () => this.#clearHover());
    map.on('click', (e) => this.#onClick(e));
    const ids = siteLayerIds(SITES);
    for (const layer of [ids.clusters, ids.places, ...LEVELS.map((l) => levelLayers(l).fill)]) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
  }

  /** Shows or hides the hint to zoom in on the level chosen. */
  #showZoomHint(): void {
    const hint = zoomHint(this.#o.store.state.dash.niveau, this.map.getZoom(), this.#communesFrom);
    const el = this.#o.zoomHint;
    if ((hint ?? '') !== el.textContent) el.textContent = hint ?? '';
    el.hidden = hint === null;
  }

  /** The level whose figures are painted. */
  get #level(): Level | null {
    return this.#painted?.level ?? null;
  }

  /** The feature ids that draw a territory: a region's départements, or
   * the territory's own polygon. */
  #ids(level: Level, code: string): number[] {
    if (level !== 'region') {
      const id = featureId(level, code);
      return id ? [id] : [];
    }
    const r = this.#o.store.state.board.regions.find((x) => x.code === code);
    return (r?.departements ?? []).map(departementFeatureId).filter((id) => id > 0);
  }

  #onHover(e: MapMouseEvent): void {
    const level = this.#level;
    if (!level) return;
    const f = this.map.queryRenderedFeatures(e.point, {layers: [levelLayers(level).fill]})[0];
    const id = typeof f?.id === 'number' ? f.id : null;
    if (!id) {
      this.#clearHover();
      return;
    }
    const item = this.#codes.get(id);
    if (!this.#hovered?.ids.includes(id) || this.#hovered.level !== level) {
      this.#clearHover();
      const ids = item && level === 'region' ? this.#ids(level, item.code) : [id];
      this.#hovered = {level, ids};
      for (const x of ids) this.map.setFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[tileLevel(level)], id: x}, {survol: true});
    }
    const tip = this.#o.tooltip;
    if (!item) {
      tip.hidden = true;
      return;
    }
    const key = this.#o.store.state.dash.indicateur;
    const after = this.#after.get(id);
    const fmt = INDICATORS[key].format;
    tip.textContent = after === undefined ? `${item.name} : ${fmt(valueOf(item, key))}` : `${item.name} : ${fmt(after)} avec le scénario (avant : ${fmt(valueOf(item, key))})`;
    tip.hidden = false;
    const w = this.#o.container.clientWidth;
    tip.style.left = `${Math.min(e.point.x + 14, w - tip.offsetWidth - 4)}px`;
    tip.style.top = `${Math.max(4, e.point.y - 34)}px`;
  }

  #clearHover(): void {
    if (this.#hovered) {
      const h = this.#hovered;
      for (const id of h.ids) this.map.setFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[tileLevel(h.level)], id}, {survol: false});
      this.#hovered = null;
    }
    this.#o.tooltip.hidden = true;
  }

  #onClick(e: MapMouseEvent): void {
    const store = this.#o.store;
    const s = store.state.dash;
    const box: [[number, number], [number, number]] = [
      [e.point.x - 6, e.point.y - 6],
      [e.point.x + 6, e.point.y + 6],
    ];
    const ids = siteLayerIds(SITES);
    const visibleSites = showsPlaces(s) ? this.map.queryRenderedFeatures(box, {layers: [ids.clusters, ids.places]}) : [];
    const cluster = visibleSites.find((f) => f.layer.id === ids.clusters);
    const place = visibleSites.find((f) => f.layer.id === ids.places);
    if (s.mode === 'scenario') {
      // Own marks: a click on an added place takes it back.
      const mark = this.map.queryRenderedFeatures(box, {layers: [SCENARIO_LAYER]})[0];
      if (mark && mark.properties['type'] === 'ajout') {
        const i = Number(mark.properties['index']);
        store.updateDash({ajouts: s.ajouts.filter((_, j) => j !== i)}, 'replace');
        return;
      }
      if (mark && mark.properties['type'] === 'retrait') {
        const id = String(mark.properties['id']);
        store.updateDash({retraits: s.retraits.filter((r) => r !== id)}, 'replace');
        return;
      }
      if (place) {
        this.#remove(place);
        return;
      }
      if (cluster) {
        this.#zoomInto(cluster);
        return;
      }
      this.add(e.lngLat.lng, e.lngLat.lat);
      return;
    }
    if (cluster && !place) {
      this.#zoomInto(cluster);
      return;
    }
    const level = this.#level;
    if (!level) return;
    const f = this.map.queryRenderedFeatures(e.point, {layers: [levelLayers(level).fill]})[0];
    const item = typeof f?.id === 'number' ? this.#codes.get(f.id) : undefined;
    if (item && level === s.niveau) store.updateDash({territoire: item.code}, 'push');
  }

  /** Adds a hypothetical place of the kind chosen in the scenario form. */
  add(lon: number, lat: number): void {
    const store = this.#o.store;
    const s = store.state.dash;
    if (s.ajouts.length >= MAX_ADDITIONS) return;
    const a: Addition = {lon: Math.round(lon * 1e5) / 1e5, lat: Math.round(lat * 1e5) / 1e5, ...this.#o.additionKind()};
    store.updateDash({ajouts: [...s.ajouts, a]}, 'replace');
  }

  /** Adds a hypothetical place at the centre of the map (keyboard). */
  addAtCenter(): void {
    const c = this.map.getCenter();
    this.add(c.lng, c.lat);
  }

  #remove(f: MapGeoJSONFeature): void {
    const store = this.#o.store;
    const s = store.state.dash;
    const id = f.properties['id'];
    if (typeof id !== 'string' || f.geometry.type !== 'Point') return;
    if (s.retraits.includes(id) || s.retraits.length >= MAX_REMOVALS) return;
    const [lon, lat] = f.geometry.coordinates as [number, number];
    store.updateBoard((b) => ({places: {...b.places, [id]: {nom: String(f.properties['nom'] ?? id), lon, lat}}}));
    store.updateDash({retraits: [...s.retraits, id]}, 'replace');
  }

  #zoomInto(f: MapGeoJSONFeature): void {
    if (f.geometry.type !== 'Point') return;
    let zoom = Number(f.properties['expansion_zoom']);
    if (!Number.isFinite(zoom)) zoom = this.map.getZoom() + 2;
    this.map.easeTo({center: f.geometry.coordinates as [number, number], zoom: Math.min(zoom + 0.01, 16)});
  }

  #render(s: AppState, prev: AppState | null): void {
    const d = s.dash;
    const pd = prev?.dash;
    const b = s.board;
    // Choropleth: figures of the level fetched, coloured by the indicator.
    const ind = b.indicators;
    const scale = this.#o.scale();
    if (ind && (ind.key !== this.#painted?.key || d.indicateur !== this.#painted.indicator || scale !== this.#painted.scale || (ind.level === 'region' && b.regions !== this.#painted.regions))) {
      this.#paint(ind.level, ind.key, ind.data, d.indicateur, scale);
    }
    // The scenario's deltas recolour the territories they change.
    const sc = currentScenario(s);
    const keep = !sc && b.loading.scenario && d.mode === 'scenario' && d.ajouts.length + d.retraits.length > 0 && this.#scenario?.indicators === ind?.key && this.#scenario?.indicator === d.indicateur;
    if (!keep) {
      const want = sc && ind ? `${sc.key}` : null;
      if (want !== (this.#scenario?.key ?? null) || (this.#scenario && (this.#scenario.indicators !== ind?.key || this.#scenario.indicator !== d.indicateur))) {
        this.#clearScenario();
        if (sc && ind) this.#applyScenario(sc.key, sc.data, ind.key, d.indicateur);
      }
    }
    // Selection.
    if (!pd || d.territoire !== pd.territoire || d.niveau !== pd.niveau || (ind?.level ?? null) !== (prev?.board.indicators?.level ?? null)) {
      for (const level of LEVELS) {
        const sel = d.territoire && level === tileLevel(d.niveau) ? this.#ids(d.niveau, d.territoire) : [];
        const ids = levelLayers(level);
        this.map.setFilter(ids.casing, ['in', ['id'], ['literal', sel]]);
        this.map.setFilter(ids.selection, ['in', ['id'], ['literal', sel]]);
      }
    }
    if (!pd || d.niveau !== pd.niveau) this.#showZoomHint();
    // White zones: fetched here, so that a scenario can change their cells.
    const zonesKey = d.zones ? apiParams(d.params).toString() : '';
    if (!pd || d.zones !== pd.zones || zonesKey !== this.#zonesKey) {
      for (const id of [WHITE_ZONES_LAYER, UNCERTAIN_LAYER]) this.map.setLayoutProperty(id, 'visibility', d.zones ? 'visible' : 'none');
      if (d.zones && (zonesKey !== this.#zonesKey || !pd?.zones)) this.#fetchZones(zonesKey);
      if (!d.zones) this.#o.edge.setZones(null);
      this.#zonesKey = zonesKey;
    }
    if (d.zones) this.#drawZones(sc);
    // Places: the tiles filtered like the analysis's supply.
    const sitesKey = supplyParams(d.params).toString();
    if (sitesKey !== this.#sitesKey) {
      this.#sitesKey = sitesKey;
      this.#sitesAbort?.abort();
      const abort = new AbortController();
      this.#sitesAbort = abort;
      getTileJSON('sites', supplyParams(d.params), abort.signal)
        .then((tj) => this.map.getSource<VectorTileSource>(SITES)?.setTiles(tj.tiles))
        .catch((err: unknown) => {
          if ((err as Error).name !== 'AbortError') this.#o.container.dataset['erreur'] = String(err);
        });
    }
    if (!pd || showsPlaces(d) !== showsPlaces(pd)) {
      const on = showsPlaces(d);
      for (const id of Object.values(siteLayerIds(SITES))) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    }
    // The scenario's marks and the places it removes.
    if (!pd || d.ajouts !== pd.ajouts || d.retraits !== pd.retraits || d.mode !== pd.mode || b.places !== prev?.board.places) {
      const scenario = d.mode === 'scenario';
      this.map.setFilter(siteLayerIds(SITES).places, placesFilter(scenario ? d.retraits : []));
      const features: Feature[] = [];
      if (scenario) {
        d.ajouts.forEach((a, i) =>
          features.push({type: 'Feature', geometry: {type: 'Point', coordinates: [a.lon, a.lat]}, properties: {type: 'ajout', icone: 'ajout', index: i}}),
        );
        for (const id of d.retraits) {
          const p = b.places[id];
          if (p) features.push({type: 'Feature', geometry: {type: 'Point', coordinates: [p.lon, p.lat]}, properties: {type: 'retrait', icone: 'retrait', id}});
        }
      }
      this.map.getSource<GeoJSONSource>(SCENARIO)?.setData({type: 'FeatureCollection', features} as FeatureCollection);
      this.#o.crosshair.hidden = !scenario;
    }
    // Siting proposals.
    if (!prev || b.siting !== prev.board.siting || d.mode !== pd?.mode) {
      const props = d.mode === 'implantation' && b.siting ? b.siting.data.proposals : [];
      this.map.getSource<GeoJSONSource>(PROPOSALS)?.setData({
        type: 'FeatureCollection',
        features: props.map((p) => ({type: 'Feature', geometry: {type: 'Point', coordinates: p.point}, properties: {rank: p.rank}})),
      });
    }
    // Camera requests for this map.
    if (s.camera && s.camera !== prev?.camera && s.camera.map === 'tableau') {
      const c = s.camera;
      if (c.territory) this.#frameTerritory(c.territory.level, c.territory.code);
      else if (c.bbox) this.map.fitBounds(new LngLatBounds([c.bbox[0], c.bbox[1]], [c.bbox[2], c.bbox[3]]), {padding: this.#o.padding(), maxZoom: 13, duration: 600});
      else if (c.center) this.map.easeTo({center: c.center, zoom: c.zoom ?? Math.max(this.map.getZoom(), 10), duration: 600});
    }
    // Back/forward: follow a view that differs from the map's.
    if (pd && d.view && d.view !== pd.view && !this.map.isMoving()) {
      const c = this.map.getCenter();
      const v = d.view;
      if (Math.abs(v.zoom - this.map.getZoom()) > 0.01 || Math.abs(v.lat - c.lat) > 1e-5 || Math.abs(v.lon - c.lng) > 1e-5) {
        this.map.jumpTo({center: [v.lon, v.lat], zoom: v.zoom});
      }
    }
  }

  #paint(level: Level, key: string, items: IndicatorItem[], indicator: AppState['dash']['indicateur'], scale: Scale | null): void {
    this.#clearScenario();
    const previous = this.#painted;
    if (previous && previous.level !== level) {
      this.#clearHover();
      this.map.removeFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[tileLevel(previous.level)]});
    }
    this.#codes = new Map();
    const sourceLayer = SOURCE_LAYERS[tileLevel(level)];
    for (const item of items) {
      for (const id of this.#ids(level, item.code)) {
        this.#codes.set(id, item);
        this.map.setFeatureState({source: TERRITORIES, sourceLayer, id}, {v: valueOf(item, indicator)});
      }
    }
    for (const l of LEVELS) {
      const ids = levelLayers(l);
      const on = l === tileLevel(level) ? 'visible' : 'none';
      this.map.setLayoutProperty(ids.fill, 'visibility', on);
      this.map.setLayoutProperty(ids.hover, 'visibility', on);
      this.map.setLayoutProperty(ids.changed, 'visibility', on);
    }
    if (scale) this.map.setPaintProperty(levelLayers(level).fill, 'fill-color', stepExpression(scale) as never);
    this.#painted = {level, key, indicator, scale, regions: this.#o.store.state.board.regions};
    this.#o.container.dataset['niveau'] = level;
    this.#o.container.dataset['indicateur'] = indicator;
    this.#whenIdle();
  }

  /** Paints the territories a scenario changes with their value after it. */
  #applyScenario(key: string, r: ScenarioMapResult, indicators: string, indicator: AppState['dash']['indicateur']): void {
    const level = this.#level;
    if (!level) return;
    const field = INDICATORS[indicator].field;
    const sourceLayer = SOURCE_LAYERS[tileLevel(level)];
    for (const x of deltasOf(r, level)) {
      for (const id of this.#ids(level, x.code)) {
        const item = this.#codes.get(id);
        if (!item) continue;
        const before = valueOf(item, indicator);
        // A scenario changes no fragility score.
        const delta = field === 'population' || field === 'fragility' ? 0 : x[field];
        const after = before + delta;
        this.#before.set(id, before);
        this.#after.set(id, after);
        this.map.setFeatureState({source: TERRITORIES, sourceLayer, id}, {v: after, modifie: true});
      }
    }
    this.#scenario = {key, indicators, indicator};
    this.#o.container.dataset['recolorees'] = String(this.#after.size);
    this.#o.container.dataset['scenario'] = key.length > 0 ? String(r.deltas.length) : '';
    this.#whenIdle();
  }

  /** Gives back the territories their values before the scenario. */
  #clearScenario(): void {
    const level = this.#level;
    if (level && this.#before.size) {
      const sourceLayer = SOURCE_LAYERS[tileLevel(level)];
      for (const [id, v] of this.#before) this.map.setFeatureState({source: TERRITORIES, sourceLayer, id}, {v, modifie: false});
      this.#whenIdle();
    }
    this.#before.clear();
    this.#after.clear();
    this.#scenario = null;
    this.#o.container.dataset['recolorees'] = '0';
    delete this.#o.container.dataset['scenario'];
  }

  #fetchZones(key: string): void {
    this.#zonesAbort?.abort();
    const abort = new AbortController();
    this.#zonesAbort = abort;
    fetch(apiURL('/api/whitezones', new URLSearchParams(key)), {signal: abort.signal})
      .then(async (res) => {
        if (!res.ok) throw new Error(`zones blanches : ${res.status}`);
        const fc = (await res.json()) as FeatureCollection;
        if (abort.signal.aborted) return;
        this.#zonesBase = {key, fc};
        this.#zonesShown = '';
        this.#drawZones(currentScenario(this.#o.store.state));
        this.#whenIdle();
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') this.#o.container.dataset['erreur'] = String(err);
      });
  }

  /** Draws the white cells of the parameters, changed by the scenario. */
  #drawZones(sc: {key: string; data: ScenarioMapResult} | null): void {
    const base = this.#zonesBase;
    if (!base || base.key !== this.#zonesKey) return;
    const wz = sc?.data.whitezones ?? null;
    const shown = `${base.key}|${wz ? sc!.key : ''}`;
    if (shown === this.#zonesShown) return;
    this.#zonesShown = shown;
    let features = base.fc.features;
    if (wz) {
      const gone = new Set([...wz.remove, ...wz.add.map((f) => String(f.id))]);
      features = [...features.filter((f) => !gone.has(String(f.id))), ...wz.add];
    }
    this.map.getSource<GeoJSONSource>(WHITE_ZONES)?.setData({type: 'FeatureCollection', features});
    const uncertain = features.filter((f) => f.properties?.['incertain'] === true).length;
    const el = this.#o.container;
    el.dataset['zones'] = String(features.length);
    el.dataset['zonesIncertaines'] = String(uncertain);
    el.dataset['zonesScenario'] = wz ? '1' : '0';
    this.#o.edge.setZones({cells: features.length, uncertain, scenario: wz !== null});
    this.#whenIdle();
  }

  /** Frames a territory from the polygons of the loaded tiles. */
  #frameTerritory(level: Level, code: string): void {
    const b = this.territoryBounds(level, code);
    if (b) this.map.fitBounds(new LngLatBounds([b[0], b[1]], [b[2], b[3]]), {padding: this.#o.padding(), maxZoom: 12, duration: 600});
  }

  territoryBounds(level: Level, code: string): [number, number, number, number] | null {
    const ids = this.#ids(level, code);
    if (ids.length === 0) return null;
    const parts = this.map.querySourceFeatures(TERRITORIES, {sourceLayer: SOURCE_LAYERS[tileLevel(level)], filter: ['in', ['id'], ['literal', ids]]});
    return boundsOf(parts.map((p) => p.geometry));
  }

  /** A picture of the map framing a territory (or the region) for the
   * portrait, drawn at a fixed size whatever the window (the same print
   * from a phone as from a desktop), with the scale of MapLibre's
   * ScaleControl at that size; the map then comes back as it was. */
  async snapshot(territory: {level: Level; code: string} | null): Promise<Snapshot | null> {
    if (!this.#loaded) return null;
    const el = this.#o.container;
    const saved = el.style.cssText;
    const camera = {center: this.map.getCenter(), zoom: this.map.getZoom()};
    const idle = () =>
      new Promise<void>((resolve) => {
        this.map.once('idle', () => resolve());
        this.map.triggerRepaint();
      });
    el.style.position = 'fixed';
    el.style.left = '-10000px';
    el.style.top = '0';
    el.style.width = `${SNAPSHOT.width}px`;
    el.style.height = `${SNAPSHOT.height}px`;
    el.style.inset = 'auto';
    this.map.resize();
    try {
      const b = (territory ? this.territoryBounds(territory.level, territory.code) : null) ?? viewBounds(this.#o.territories.bounds) ?? null;
      if (b) this.map.fitBounds(new LngLatBounds([b[0], b[1]], [b[2], b[3]]), {padding: 24, maxZoom: 12, animate: false});
      await idle();
      // The ScaleControl updates on each move: its bar and label are those
      // of this framing.
      const bar = el.querySelector<HTMLElement>('.maplibregl-ctrl-scale');
      const width = el.clientWidth || SNAPSHOT.width;
      let scale: Snapshot['scale'] = null;
      if (bar && bar.textContent && bar.offsetWidth > 0) scale = {label: bar.textContent.replace(/\s+/g, '\u00a0'), share: bar.offsetWidth / width};
      let png: string | null = null;
      try {
        png = this.map.getCanvas().toDataURL('image/png');
      } catch {
        png = null;
      }
      return png ? {png, scale, width: SNAPSHOT.width, height: SNAPSHOT.height} : null;
    } finally {
      el.style.cssText = saved;
      this.map.resize();
      this.map.jumpTo(camera);
    }
  }

  resize(): void {
    this.map.resize();
  }
}
