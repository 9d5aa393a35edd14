// The map: MapLibre GL JS over the project's vector tiles. It shows the
// store's state (filters, commune, hovered and selected places, camera
// requests) and writes back what the user does on it (view, chosen place).

import {
  AttributionControl,
  LngLatBounds,
  Map as MapLibreMap,
  NavigationControl,
  Popup,
  ScaleControl,
  type ExpressionSpecification,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type MapLayerMouseEvent,
  type VectorTileSource,
} from 'maplibre-gl';
import type {Feature as GeoJSONFeature} from 'geojson';
import {getTileJSON, listAllSites, type PlaceSummary, type TileJSON} from '../api.ts';
import {h} from '../dom.ts';
import {matchesClientFilters} from '../filters/predicate.ts';
import type {AppState, PlacePoint, Store} from '../store.ts';
import {facetParams, hasClientFilters, siteParams, type Filters} from '../urlstate.ts';
import {viewBounds} from './bounds.ts';
import {countImage, pinImage, shortCount} from './images.ts';
import {APPROX_PIN, APPROX_PIN_FS, approxPinImage} from './approxpin.ts';
import {
  FOCUS,
  SITES,
  SITES_CLIENT,
  addOns,
  basemapFonts,
  communeFeatureId,
  ownStyle,
  siteLayerIds,
} from './style.ts';

export interface MapOptions {
  container: HTMLElement;
  store: Store;
  territories: TileJSON;
  /** The communes' polygons as a source of their own (see COMMUNES_MINZOOM). */
  communes?: TileJSON;
  sites: TileJSON;
  /** URL of an external basemap style, drawn below the project's layers. */
  basemap: string | null;
  /** Room taken over the map by other elements (the bottom sheet on phones). */
  padding?: () => {top: number; bottom: number; left: number; right: number};
}

const LOCALE: Record<string, string> = {
  'AttributionControl.ToggleAttribution': 'Afficher ou masquer les crédits',
  'AttributionControl.MapFeedback': 'Signaler une erreur de carte',
  'FullscreenControl.Enter': 'Plein écran',
  'FullscreenControl.Exit': 'Quitter le plein écran',
  'GeolocateControl.FindMyLocation': 'Me localiser',
  'GeolocateControl.LocationNotAvailable': 'Position indisponible',
  'LogoControl.Title': 'Logo MapLibre',
  'Map.Title': 'Carte des lieux de médiation numérique',
  'Marker.Title': 'Repère',
  'NavigationControl.ResetBearing': 'Réorienter la carte vers le nord',
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'Popup.Close': 'Fermer',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
  'CooperativeGesturesHandler.WindowsHelpText': 'Utilisez Ctrl + molette pour zoomer',
  'CooperativeGesturesHandler.MacHelpText': 'Utilisez ⌘ + molette pour zoomer',
  'CooperativeGesturesHandler.MobileHelpText': 'Utilisez deux doigts pour déplacer la carte',
};

/** Places found under a click, deduplicated by id. */
function placesOf(features: MapGeoJSONFeature[]): {id: string; nom: string; fs: boolean}[] {
  const seen = new Map<string, {id: string; nom: string; fs: boolean}>();
  for (const f of features) {
    const id = f.properties['id'];
    if (typeof id !== 'string' || seen.has(id)) continue;
    seen.set(id, {id, nom: String(f.properties['nom_affiche'] || f.properties['nom'] || id), fs: Boolean(f.properties['france_services'])});
  }
  return [...seen.values()];
}

/** Source of the list's origin: position marker and radius circle. */
const ORIGIN = 'origine';

/** A circle of radius metres around c, as a polygon of 64 sides. */
function circle(c: [number, number], radius: number): GeoJSONFeature {
  const ring: [number, number][] = [];
  const dLat = radius / 111195;
  const dLon = dLat / Math.cos((c[1] * Math.PI) / 180);
  for (let i = 0; i <= 64; i++) {
    const a = (i / 64) * 2 * Math.PI;
    ring.push([c[0] + dLon * Math.cos(a), c[1] + dLat * Math.sin(a)]);
  }
  return {type: 'Feature', geometry: {type: 'Polygon', coordinates: [ring]}, properties: {role: 'rayon'}};
}

export class MapView {
  readonly map: MapLibreMap;
  readonly #store: Store;
  readonly #container: HTMLElement;
  #loaded = false;
  #sitesAbort: AbortController | null = null;
  /** The facet filters of the tiles the vector source shows. */
  #vectorKey: string;
  #clientPlaces: {filtersKey: string; places: {p: PlaceSummary; lon: number; lat: number}[]} | null = null;
  #popup: Popup | null = null;
  readonly #padding: () => {top: number; bottom: number; left: number; right: number};
  #lastFocusedBeforePopup: Element | null = null;

  constructor(opts: MapOptions) {
    this.#store = opts.store;
    this.#container = opts.container;
    this.#padding = opts.padding ?? (() => ({top: 0, bottom: 0, left: 0, right: 0}));
    this.#vectorKey = facetParams(opts.store.state.url.filters).toString();
    const s = opts.store.state;
    const ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    const view = s.url.view;
    const style = opts.basemap ?? ownStyle({territories: opts.territories, communes: opts.communes, sites: opts.sites});
    const bounds = viewBounds(opts.territories.bounds);
    this.map = new MapLibreMap({
      container: opts.container,
      style,
      ...(view
        ? {center: [view.lon, view.lat] as [number, number], zoom: view.zoom}
        : bounds
          ? {bounds: bounds as [number, number, number, number], fitBoundsOptions: {padding: this.#fitPadding(20)}}
          : {center: [2.5, 46.6] as [number, number], zoom: 5}),
      attributionControl: false,
      locale: LOCALE,
      maxZoom: 18,
      minZoom: 4,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      fadeDuration: 150,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new NavigationControl({showCompass: false}), 'top-right');
    this.map.addControl(new ScaleControl({unit: 'metric'}), 'bottom-left');
    this.map.addControl(new AttributionControl({compact: true}), 'bottom-right');

    this.map.setMissingStyleImageResolver((id) => {
      if (id === 'epingle' || id === 'epingle-fs') {
        this.map.addImage(id, pinImage(id === 'epingle-fs', ratio), {pixelRatio: ratio});
      } else if (id === APPROX_PIN || id === APPROX_PIN_FS) {
        this.map.addImage(id, approxPinImage(id === APPROX_PIN_FS, ratio), {pixelRatio: ratio});
      } else if (id.startsWith('nombre:')) {
        this.map.addImage(id, countImage(shortCount(Number(id.slice(7))), ratio), {pixelRatio: ratio});
      }
    });

    this.map.on('load', () => {
      if (opts.basemap) {
        // The project's labels in the base map's fonts (its glyphs server
        // knows only them), commune names left to the base map.
        const own = addOns({territories: opts.territories, communes: opts.communes, sites: opts.sites}, false, basemapFonts(this.map.getStyle()));
        for (const [id, src] of Object.entries(own.sources)) this.map.addSource(id, src);
        for (const layer of own.layers) this.map.addLayer(layer);
      }
      this.#addJourneyLayers();
      this.#loaded = true;
      // On small screens the credits start folded behind their button.
      if (window.matchMedia('(max-width: 47.99em)').matches) {
        this.#container.querySelector('.maplibregl-compact-show')?.classList.remove('maplibregl-compact-show');
      }
      this.#bindEvents();
      this.#render(this.#store.state, null);
      this.#container.dataset['etat'] = 'chargee';
      performance.mark('carte-chargee');
      this.#container.dispatchEvent(new CustomEvent('carte-chargee', {bubbles: true}));
    });
    this.map.on('error', (e) => {
      // Tile or network failures are retried by MapLibre; say it once.
      this.#container.dataset['erreur'] = String((e.error as Error | undefined)?.message ?? 'erreur');
    });

    this.#store.subscribe((state, prev) => {
      if (this.#loaded) this.#render(state, prev);
    });
  }

  /** The origin of the list (position marker when it is the user's
   * position or an address, and the radius circle), below the places; and
   * the hollow pins of the places known only by their commune. */
  #addJourneyLayers(): void {
    const map = this.map;
    const before = map.getLayer(siteLayerIds(SITES).clusters) ? siteLayerIds(SITES).clusters : undefined;
    map.addSource(ORIGIN, {type: 'geojson', data: {type: 'FeatureCollection', features: []}});
    map.addLayer(
      {id: 'origine-rayon-fond', type: 'fill', source: ORIGIN, filter: ['==', ['get', 'role'], 'rayon'], paint: {'fill-color': '#000091', 'fill-opacity': 0.05}},
      before,
    );
    map.addLayer(
      {
        id: 'origine-rayon',
        type: 'line',
        source: ORIGIN,
        filter: ['==', ['get', 'role'], 'rayon'],
        paint: {'line-color': '#000091', 'line-width': 2, 'line-dasharray': [3, 2], 'line-opacity': 0.8},
      },
      before,
    );
    map.addLayer({
      id: 'origine-position',
      type: 'circle',
      source: ORIGIN,
      filter: ['==', ['get', 'role'], 'position'],
      paint: {
        'circle-radius': 8,
        'circle-color': '#0a76f6',
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 3,
        'circle-pitch-alignment': 'map',
      },
    });
    for (const source of [SITES, SITES_CLIENT]) {
      const id = siteLayerIds(source).places;
      if (!map.getLayer(id)) continue;
      const fs: ExpressionSpecification = ['to-boolean', ['get', 'france_services']];
      map.setLayoutProperty(id, 'icon-image', [
        'case',
        ['to-boolean', ['get', 'approx']],
        ['case', fs, APPROX_PIN_FS, APPROX_PIN],
        ['case', fs, 'epingle-fs', 'epingle'],
      ]);
    }
  }

  /** Draws the origin of the list: the radius circle, and a marker when it
   * is the user's position or an address (a commune's centre has none). */
  #renderOrigin(s: AppState): void {
    const src = this.map.getSource<GeoJSONSource>(ORIGIN);
    if (!src) return;
    const o = s.origin;
    this.#container.dataset['origine'] = o ? (s.url.autour ? 'position' : 'commune') : '';
    if (!o) {
      src.setData({type: 'FeatureCollection', features: []});
      return;
    }
    const feats: GeoJSONFeature[] = [circle([o.lon, o.lat], s.url.rayon * 1000)];
    if (s.url.autour) feats.push({type: 'Feature', geometry: {type: 'Point', coordinates: [o.lon, o.lat]}, properties: {role: 'position', label: o.label}});
    src.setData({type: 'FeatureCollection', features: feats});
  }

  #fitPadding(extra: number): {top: number; bottom: number; left: number; right: number} {
    const p = this.#padding();
    return {top: p.top + extra, bottom: p.bottom + extra, left: p.left + extra, right: p.right + extra};
  }

  #bindEvents(): void {
    const map = this.map;
    map.on('moveend', () => {
      const c = map.getCenter();
      const view = {zoom: map.getZoom(), lat: c.lat, lon: c.lng};
      const cur = this.#store.state.url.view;
      if (cur && Math.abs(cur.zoom - view.zoom) < 0.01 && Math.abs(cur.lat - view.lat) < 1e-5 && Math.abs(cur.lon - view.lon) < 1e-5) {
        return;
      }
      this.#store.updateUrl({view}, 'replace');
    });
    for (const source of [SITES, SITES_CLIENT]) {
      const ids = siteLayerIds(source);
      for (const layer of [ids.clusters, ids.places]) {
        map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
        map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
      }
      map.on('click', ids.clusters, (e) => void this.#onClusterClick(e, source));
      map.on('click', ids.places, (e) => this.#onPlaceClick(e, ids.places));
    }
  }

  async #onClusterClick(e: MapLayerMouseEvent, source: string): Promise<void> {
    const f = e.features?.[0];
    if (!f || f.geometry.type !== 'Point') return;
    const center = f.geometry.coordinates as [number, number];
    let zoom = Number(f.properties['expansion_zoom']);
    if (source === SITES_CLIENT) {
      const src = this.map.getSource<GeoJSONSource>(SITES_CLIENT);
      zoom = src ? await src.getClusterExpansionZoom(Number(f.properties['cluster_id'])) : NaN;
    }
    if (!Number.isFinite(zoom)) zoom = this.map.getZoom() + 2;
    this.map.easeTo({center, zoom: Math.min(zoom + 0.01, 18)});
  }

  #onPlaceClick(e: MapLayerMouseEvent, layer: string): void {
    // Several places may stand on the same point (same address, or placed
    // at their commune): offer the choice.
    const box: [[number, number], [number, number]] = [
      [e.point.x - 6, e.point.y - 6],
      [e.point.x + 6, e.point.y + 6],
    ];
    const places = placesOf(this.map.queryRenderedFeatures(box, {layers: [layer]}));
    if (places.length === 0) return;
    if (places.length === 1) {
      this.#open(places[0]!.id);
      return;
    }
    this.#choose(places, e.lngLat.toArray() as [number, number]);
  }

  #open(id: string): void {
    this.#popup?.remove();
    this.#store.updateUrl({lieu: id}, 'push');
  }

  #choose(places: {id: string; nom: string; fs: boolean}[], at: [number, number]): void {
    this.#popup?.remove();
    this.#lastFocusedBeforePopup = document.activeElement;
    const list = h(
      'ul',
      {class: 'choix-lieux'},
      places.map((p) =>
        h(
          'li',
          {},
          h('button', {type: 'button', class: 'fr-link', 'data-id': p.id}, p.nom, p.fs ? h('span', {class: 'fr-sr-only'}, ' (France Services)') : null),
        ),
      ),
    );
    const content = h('div', {role: 'dialog', 'aria-label': `${places.length} lieux à cet endroit`}, h('p', {class: 'fr-text--sm fr-mb-1v'}, `${places.length} lieux à cet endroit :`), list);
    list.addEventListener('click', (ev) => {
      const btn = (ev.target as Element).closest('button[data-id]');
      if (btn) this.#open(btn.getAttribute('data-id')!);
    });
    this.#popup = new Popup({closeButton: true, maxWidth: '280px', focusAfterOpen: true})
      .setLngLat(at)
      .setDOMContent(content)
      .addTo(this.map);
    this.#popup.on('close', () => {
      const back = this.#lastFocusedBeforePopup;
      if (back instanceof HTMLElement && document.contains(back) && !this.#store.state.url.lieu) back.focus();
    });
  }

  #render(s: AppState, prev: AppState | null): void {
    if (!prev || s.url.filters !== prev.url.filters) this.#applyFilters(s.url.filters);
    else if (s.minute !== prev.minute && s.url.filters.ouvert) this.#applyFilters(s.url.filters);
    if (!prev || s.commune !== prev.commune) {
      const id = s.commune ? communeFeatureId(s.commune.code) : -1;
      for (const layer of ['commune-choisie-fond', 'commune-choisie-contour']) {
        this.map.setFilter(layer, ['==', ['id'], id]);
      }
    }
    if (!prev || s.hover !== prev.hover || s.selected !== prev.selected) this.#renderFocus(s.hover, s.selected);
    if (!prev || s.origin !== prev.origin || s.url.rayon !== prev.url.rayon || s.url.autour !== prev.url.autour) this.#renderOrigin(s);
    if (prev && s.selected && s.selected !== prev.selected) this.#ensureVisible(s.selected, !s.url.view);
    if (s.camera && s.camera !== prev?.camera && (s.camera.map ?? 'carte') === 'carte') {
      const c = s.camera;
      const pad = this.#padding();
      if (c.bbox) {
        this.map.fitBounds(new LngLatBounds([c.bbox[0], c.bbox[1]], [c.bbox[2], c.bbox[3]]), {padding: this.#fitPadding(40), maxZoom: 14, duration: 800});
      } else if (c.center) {
        this.map.easeTo({center: c.center, zoom: c.zoom ?? this.map.getZoom(), duration: 800, padding: pad});
      }
    }
    // Back/forward: follow a view that differs from the map's.
    if (prev && s.url.view && s.url.view !== prev.url.view) {
      const c = this.map.getCenter();
      const v = s.url.view;
      if (Math.abs(v.zoom - this.map.getZoom()) > 0.01 || Math.abs(v.lat - c.lat) > 1e-5 || Math.abs(v.lon - c.lng) > 1e-5) {
        if (!this.map.isMoving()) this.map.jumpTo({center: [v.lon, v.lat], zoom: v.zoom});
      }
    }
    if (prev && s.url.lieu !== prev.url.lieu && !s.url.lieu) this.#popup?.remove();
  }

  #renderFocus(hover: PlacePoint | null, selected: PlacePoint | null): void {
    const src = this.map.getSource<GeoJSONSource>(FOCUS);
    if (!src) return;
    const feats = [];
    if (selected) feats.push(this.#point(selected, 'selected'));
    if (hover && hover.id !== selected?.id) feats.push(this.#point(hover, 'hover'));
    src.setData({type: 'FeatureCollection', features: feats});
  }

  #point(p: PlacePoint, role: string): GeoJSONFeature {
    return {
      type: 'Feature',
      geometry: {type: 'Point', coordinates: [p.lon, p.lat]},
      properties: {id: p.id, role, france_services: p.franceServices},
    };
  }

  /** Brings a place into view; close to it when the URL gave no view
   * (a shared link to a place). */
  #ensureVisible(p: PlacePoint, zoomIn: boolean): void {
    if (zoomIn) {
      this.map.easeTo({center: [p.lon, p.lat], zoom: Math.max(this.map.getZoom(), 14), duration: 600, padding: this.#padding()});
      return;
    }
    const b = this.map.getBounds();
    const canvas = this.map.getCanvas();
    const pt = this.map.project([p.lon, p.lat]);
    const margin = 40;
    const pad = this.#padding();
    const inside =
      b.contains([p.lon, p.lat]) &&
      pt.x > margin + pad.left &&
      pt.y > margin + pad.top &&
      pt.x < canvas.clientWidth - margin - pad.right &&
      pt.y < canvas.clientHeight - margin - pad.bottom;
    if (!inside) this.map.easeTo({center: [p.lon, p.lat], zoom: Math.max(this.map.getZoom(), 13), duration: 600, padding: this.#padding()});
  }

  /** Filters on the API's facets reload the tiles with the filtered TileJSON;
   * "open now" and online booking switch to a clustered GeoJSON of the
   * matching places ("open now" filtered by the server, asked again every
   * minute). */
  #applyFilters(f: Filters): void {
    const params = facetParams(f);
    const key = params.toString();
    const clientKey = `${siteParams(f).toString()}#${f.ouvert ? Math.floor(Date.now() / 60_000) : ''}`;
    const client = hasClientFilters(f);
    const vectorIds = siteLayerIds(SITES);
    const clientIds = siteLayerIds(SITES_CLIENT);
    const show = (ids: ReturnType<typeof siteLayerIds>, on: boolean) => {
      for (const id of Object.values(ids)) this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    };
    this.#sitesAbort?.abort();
    const abort = new AbortController();
    this.#sitesAbort = abort;
    if (!client) {
      show(clientIds, false);
      show(vectorIds, true);
      if (this.#vectorKey !== key) {
        this.#container.dataset['etat'] = 'filtrage';
        getTileJSON('sites', params, abort.signal)
          .then((tj) => {
            this.#vectorKey = key;
            this.map.getSource<VectorTileSource>(SITES)?.setTiles(tj.tiles);
            this.map.once('idle', () => (this.#container.dataset['etat'] = 'chargee'));
          })
          .catch((err: unknown) => {
            if ((err as Error).name !== 'AbortError') this.#container.dataset['erreur'] = String(err);
          });
      } else {
        this.#container.dataset['etat'] = 'chargee';
      }
      return;
    }
    this.#container.dataset['etat'] = 'filtrage';
    const cached = this.#clientPlaces?.filtersKey === clientKey ? Promise.resolve(this.#clientPlaces.places) : listAllSites(siteParams(f), abort.signal).then((page) => {
      const places = page.features.map((ft) => ({p: ft.properties, lon: ft.geometry.coordinates[0], lat: ft.geometry.coordinates[1]}));
      this.#clientPlaces = {filtersKey: clientKey, places};
      return places;
    });
    cached
      .then((places) => {
        if (abort.signal.aborted) return;
        const features: GeoJSONFeature[] = places
          .filter((x) => matchesClientFilters(x.p, f))
          .map((x) => ({
            type: 'Feature',
            geometry: {type: 'Point', coordinates: [x.lon, x.lat]},
            properties: {
              id: x.p.id,
              nom: x.p.nom,
              nom_affiche: x.p.nom_affiche ?? x.p.nom,
              approx: x.p.precision === 'commune',
              france_services: x.p.dispositif_programmes_nationaux.includes('France Services'),
            },
          }));
        this.map.getSource<GeoJSONSource>(SITES_CLIENT)?.setData({type: 'FeatureCollection', features});
        show(vectorIds, false);
        show(clientIds, true);
        this.map.once('idle', () => (this.#container.dataset['etat'] = 'chargee'));
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') this.#container.dataset['erreur'] = String(err);
      });
  }

  /** Bounds of the visible map, for lists of what is shown. */
  viewport(): {center: [number, number]; radius: number; zoom: number} {
    const c = this.map.getCenter();
    const b = this.map.getBounds();
    const ne = b.getNorthEast();
    return {center: [c.lng, c.lat], radius: c.distanceTo(ne), zoom: this.map.getZoom()};
  }
}
