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
import {boundsOf} from '../map/bounds.ts';
import {apiURL, getTileJSON, type IndicatorItem, type TileJSON} from '../api.ts';
import {featureId, SOURCE_LAYERS} from '../map/featureids.ts';
import {countImage, hatchImage, markImage, pinImage, shortCount} from '../map/images.ts';
import {SITES, TERRITORIES, siteLayerIds} from '../map/style.ts';
import type {AppState, Store} from '../store.ts';
import {INDICATORS, valueOf} from './indicators.ts';
import {stepExpression} from './legend.ts';
import {
  PROPOSALS,
  PROPOSALS_LAYER,
  SCENARIO,
  SCENARIO_LAYER,
  WHITE_ZONES,
  WHITE_ZONES_LAYER,
  dashboardStyle,
  levelLayers,
  placesFilter,
} from './mapstyle.ts';
import {LEVELS, MAX_ADDITIONS, MAX_REMOVALS, apiParams, showsPlaces, supplyParams, type Addition, type Level} from './state.ts';
import type {Scale} from './legend.ts';

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
  store: Store;
  territories: TileJSON;
  sites: TileJSON;
  /** The scale of the current indicator (shared with the legend). */
  scale: () => Scale | null;
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
  #painted: {level: Level; key: string; indicator: string; scale: Scale | null} | null = null;
  #codes = new Map<number, IndicatorItem>();
  #hovered: {level: Level; id: number} | null = null;
  #sitesKey: string;
  #sitesAbort: AbortController | null = null;
  #zonesKey = '';

  constructor(o: BoardMapOptions) {
    this.#o = o;
    const s = o.store.state.dash;
    this.#sitesKey = supplyParams(s.params).toString();
    const bounds = o.territories.bounds;
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
    map.on('mousemove', (e) => this.#onHover(e));
    map.getCanvas().addEventListener('mouseleave', () => this.#clearHover());
    map.on('click', (e) => this.#onClick(e));
    const ids = siteLayerIds(SITES);
    for (const layer of [ids.clusters, ids.places, ...LEVELS.map((l) => levelLayers(l).fill)]) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
    }
  }

  /** The level whose figures are painted. */
  get #level(): Level | null {
    return this.#painted?.level ?? null;
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
    if (this.#hovered?.id !== id || this.#hovered.level !== level) {
      this.#clearHover();
      this.#hovered = {level, id};
      this.map.setFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[level], id}, {survol: true});
    }
    const item = this.#codes.get(id);
    const tip = this.#o.tooltip;
    if (!item) {
      tip.hidden = true;
      return;
    }
    const key = this.#o.store.state.dash.indicateur;
    tip.textContent = `${item.name} : ${INDICATORS[key].format(valueOf(item, key))}`;
    tip.hidden = false;
    const w = this.#o.container.clientWidth;
    tip.style.left = `${Math.min(e.point.x + 14, w - tip.offsetWidth - 4)}px`;
    tip.style.top = `${Math.max(4, e.point.y - 34)}px`;
  }

  #clearHover(): void {
    if (this.#hovered) {
      const h = this.#hovered;
      this.map.setFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[h.level], id: h.id}, {survol: false});
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
    if (ind && (ind.key !== this.#painted?.key || d.indicateur !== this.#painted.indicator || scale !== this.#painted.scale)) {
      this.#paint(ind.level, ind.key, ind.data, d.indicateur, scale);
    }
    // Selection.
    if (!pd || d.territoire !== pd.territoire || d.niveau !== pd.niveau || (ind?.level ?? null) !== (prev?.board.indicators?.level ?? null)) {
      for (const level of LEVELS) {
        const id = d.territoire && level === d.niveau ? featureId(level, d.territoire) : -1;
        const ids = levelLayers(level);
        this.map.setFilter(ids.casing, ['==', ['id'], id]);
        this.map.setFilter(ids.selection, ['==', ['id'], id]);
      }
    }
    // White zones, fetched by MapLibre from the API's GeoJSON.
    const zonesKey = d.zones ? apiParams(d.params).toString() : '';
    if (!pd || d.zones !== pd.zones || zonesKey !== this.#zonesKey) {
      this.map.setLayoutProperty(WHITE_ZONES_LAYER, 'visibility', d.zones ? 'visible' : 'none');
      if (d.zones && (zonesKey !== this.#zonesKey || !pd?.zones)) {
        this.map.getSource<GeoJSONSource>(WHITE_ZONES)?.setData(apiURL('/api/whitezones', apiParams(d.params)));
        this.#whenIdle();
      }
      this.#zonesKey = zonesKey;
    }
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
    const previous = this.#painted;
    if (previous && previous.level !== level) {
      this.#clearHover();
      this.map.removeFeatureState({source: TERRITORIES, sourceLayer: SOURCE_LAYERS[previous.level]});
    }
    this.#codes = new Map();
    const sourceLayer = SOURCE_LAYERS[level];
    for (const item of items) {
      const id = featureId(level, item.code);
      if (!id) continue;
      this.#codes.set(id, item);
      this.map.setFeatureState({source: TERRITORIES, sourceLayer, id}, {v: valueOf(item, indicator)});
    }
    for (const l of LEVELS) {
      const ids = levelLayers(l);
      this.map.setLayoutProperty(ids.fill, 'visibility', l === level ? 'visible' : 'none');
      this.map.setLayoutProperty(ids.hover, 'visibility', l === level ? 'visible' : 'none');
    }
    if (scale) this.map.setPaintProperty(levelLayers(level).fill, 'fill-color', stepExpression(scale) as never);
    this.#painted = {level, key, indicator, scale};
    this.#o.container.dataset['niveau'] = level;
    this.#o.container.dataset['indicateur'] = indicator;
    this.#whenIdle();
  }

  /** Frames a territory from the polygons of the loaded tiles. */
  #frameTerritory(level: Level, code: string): void {
    const b = this.territoryBounds(level, code);
    if (b) this.map.fitBounds(new LngLatBounds([b[0], b[1]], [b[2], b[3]]), {padding: this.#o.padding(), maxZoom: 12, duration: 600});
  }

  territoryBounds(level: Level, code: string): [number, number, number, number] | null {
    const id = featureId(level, code);
    if (!id) return null;
    const parts = this.map.querySourceFeatures(TERRITORIES, {sourceLayer: SOURCE_LAYERS[level], filter: ['==', ['id'], id]});
    return boundsOf(parts.map((p) => p.geometry));
  }

  /** A PNG picture of the map framing a territory (for the portrait). */
  async snapshot(territory: {level: Level; code: string} | null): Promise<string | null> {
    if (!this.#loaded) return null;
    const b = territory ? this.territoryBounds(territory.level, territory.code) : null;
    if (b) this.map.fitBounds(new LngLatBounds([b[0], b[1]], [b[2], b[3]]), {padding: 30, maxZoom: 12, animate: false});
    await new Promise<void>((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
    try {
      return this.map.getCanvas().toDataURL('image/png');
    } catch {
      return null;
    }
  }

  resize(): void {
    this.map.resize();
  }
}
