// A small MapLibre map over the project's territory tiles, with one or two
// pins: the position of a place being edited (draggable, or placed by a
// click or, from the keyboard, at the centre of the map) or the current
// and proposed positions of a proposal.

import {Map as MapLibreMap, Marker, NavigationControl, type StyleSpecification} from 'maplibre-gl';
import {getTileJSON} from '../api.ts';
import {h} from '../dom.ts';
import {countImage, markDataURL, pinImage, shortCount} from '../map/images.ts';
import {addOns, ownStyle} from '../map/style.ts';

/** The external basemap's style URL from the page's meta tag, if any. */
function basemapURL(): string | null {
  const raw = document.querySelector<HTMLMetaElement>('meta[name="cartonum-basemap"]')?.content.trim() ?? '';
  if (!raw) return null;
  try {
    const u = new URL(raw, window.location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export interface Pin {
  lon: number;
  lat: number;
  /** "position": the place's (editable); "avant"/"apres": a proposal's. */
  kind: 'position' | 'avant' | 'apres';
  title: string;
}

export interface MiniMapOptions {
  container: HTMLElement;
  pins: Pin[];
  /** When set, the "position" pin can be moved and reports here. */
  onMove?: (lon: number, lat: number) => void;
  /** Centre when there is no pin. */
  fallback?: [number, number];
}

const LOCALE: Record<string, string> = {
  'NavigationControl.ZoomIn': 'Zoomer',
  'NavigationControl.ZoomOut': 'Dézoomer',
  'Map.Title': 'Carte',
};

export class MiniMap {
  map: MapLibreMap | null = null;
  readonly #markers = new Map<string, Marker>();
  readonly #opts: MiniMapOptions;
  #pending: Pin[];

  constructor(opts: MiniMapOptions) {
    this.#opts = opts;
    this.#pending = opts.pins;
    void this.#init();
  }

  async #init(): Promise<void> {
    const {container} = this.#opts;
    // The territories and the existing places, for orientation, over the
    // external basemap when one is configured.
    let style: StyleSpecification | string;
    let bounds: [number, number, number, number] | undefined;
    let extra: ReturnType<typeof addOns> | null = null;
    const basemap = basemapURL();
    try {
      const [territories, sites] = await Promise.all([
        getTileJSON('departements,epci,communes', new URLSearchParams()),
        getTileJSON('sites', new URLSearchParams()),
      ]);
      bounds = territories.bounds;
      style = basemap ?? ownStyle({territories, sites});
      if (basemap) extra = addOns({territories, sites}, false);
    } catch {
      style = {version: 8, sources: {}, layers: [{id: 'fond', type: 'background', paint: {'background-color': '#e5e9ee'}}]};
    }
    const pins = this.#pending;
    const first = pins[0];
    this.map = new MapLibreMap({
      container,
      style,
      ...(first
        ? {center: [first.lon, first.lat] as [number, number], zoom: 14}
        : bounds
          ? {bounds, fitBoundsOptions: {padding: 10}}
          : {center: this.#opts.fallback ?? [2.3, 49.9], zoom: 7}),
      attributionControl: false,
      locale: LOCALE,
      maxZoom: 18,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new NavigationControl({showCompass: false}), 'top-right');
    if (pins.length > 1) {
      const lons = pins.map((p) => p.lon);
      const lats = pins.map((p) => p.lat);
      this.map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], {padding: 40, maxZoom: 15, duration: 0});
    }
    for (const p of pins) this.#place(p);
    if (this.#opts.onMove) {
      this.map.on('click', (e) => this.#moved(e.lngLat.lng, e.lngLat.lat));
    }
    this.map.setMissingStyleImageResolver((id) => {
      const ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
      if (id === 'epingle' || id === 'epingle-fs') this.map?.addImage(id, pinImage(id === 'epingle-fs', ratio), {pixelRatio: ratio});
      else if (id.startsWith('nombre:')) this.map?.addImage(id, countImage(shortCount(Number(id.slice(7))), ratio), {pixelRatio: ratio});
    });
    this.map.on('load', () => {
      if (extra && this.map) {
        for (const [id, src] of Object.entries(extra.sources)) this.map.addSource(id, src);
        for (const layer of extra.layers) this.map.addLayer(layer);
      }
      container.setAttribute('data-etat', 'chargee');
    });
  }

  #place(p: Pin): void {
    if (!this.map) return;
    let m = this.#markers.get(p.kind);
    if (!m) {
      const src = p.kind === 'avant' ? markDataURL('retrait', 'A') : p.kind === 'apres' ? markDataURL('ajout', 'B') : markDataURL('ajout', '');
      const el = h('img', {src, alt: '', title: p.title, class: 'minicarte__repere'});
      m = new Marker({element: el, anchor: 'center', draggable: p.kind === 'position' && !!this.#opts.onMove});
      if (p.kind === 'position') {
        m.on('dragend', () => {
          const ll = m!.getLngLat();
          this.#opts.onMove?.(ll.lng, ll.lat);
        });
      }
      this.#markers.set(p.kind, m);
      m.setLngLat([p.lon, p.lat]).addTo(this.map);
    } else m.setLngLat([p.lon, p.lat]);
  }

  #moved(lon: number, lat: number): void {
    this.setPosition(lon, lat, false);
    this.#opts.onMove?.(lon, lat);
  }

  /** Moves the editable pin (and the map when asked). */
  setPosition(lon: number, lat: number, fly = true): void {
    const pin: Pin = {lon, lat, kind: 'position', title: 'Position du lieu'};
    if (!this.map) {
      this.#pending = [pin];
      return;
    }
    this.#place(pin);
    if (fly) this.map.jumpTo({center: [lon, lat], zoom: Math.max(this.map.getZoom(), 15)});
  }

  /** Puts the editable pin at the centre of the map (keyboard users move
   * the map with the arrow keys, then press the button). */
  pinAtCentre(): void {
    if (!this.map) return;
    const c = this.map.getCenter();
    this.#moved(c.lng, c.lat);
  }
}
