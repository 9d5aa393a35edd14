// The list of places: sorted by distance from the chosen commune's centre
// or the user's position (GET /api/sites?near=…&radius=…), or, without
// either, the places around the centre of the map once zoomed in. Kept in
// step with the map: hover or focus highlights the place, a click opens its
// sheet. Never a dead end: with nothing within the radius, the nearest
// places beyond it (plus_proches) are listed with their distance. A new
// search or radius fits the map to the listed places, centred on the
// origin.

import {listSites, type Feature, type PlaceSummary} from '../api.ts';
import {announce, h, replaceChildren} from '../dom.ts';
import {matchesClientFilters} from '../filters/predicate.ts';
import {deNom, directionsHref, displayName, formatDistance, haversine, hoursWording, isPhone, plural} from '../format.ts';
import {isStale} from '../hours.ts';
import type {AppState, PlacePoint, Store} from '../store.ts';
import {scopeParams, siteParams} from '../urlstate.ts';

const PAGE = 30;
const MIN_BROWSE_ZOOM = 9;
/** How many nearest places beyond the radius a dead end lists. */
const NEAREST = 3;

export interface Viewport {
  center: [number, number];
  radius: number;
  zoom: number;
}

export interface ListOptions {
  store: Store;
  root: HTMLElement;
  /** The visible map, for the list without a commune or position. */
  viewport: () => Viewport | null;
}

type Item = Feature<PlaceSummary> & {distance: number | null};

function queryKey(s: AppState): string {
  const o = s.origin;
  return JSON.stringify([o?.lon, o?.lat, o?.label, s.url.rayon, siteParams(s.url.filters).toString()]);
}

export function placePoint(f: Feature<PlaceSummary>): PlacePoint {
  return {
    id: f.id,
    nom: displayName(f.properties),
    lon: f.geometry.coordinates[0],
    lat: f.geometry.coordinates[1],
    franceServices: f.properties.dispositif_programmes_nationaux.includes('France Services'),
  };
}

export class ResultsList {
  readonly #o: ListOptions;
  #abort: AbortController | null = null;
  #items: Item[] = [];
  #shown = PAGE;
  #key = '';
  #browseTimer = 0;
  #total = 0;
  #truncated = false;
  /** The nearest places beyond the radius, when none lies within it. */
  #nearest: Item[] = [];
  /** Origin and radius the map was last fitted to. */
  #fitted = '';
  /** The page opened on a shared link with a view and an origin. */
  #sharedView: boolean;

  constructor(o: ListOptions) {
    this.#o = o;
    const u = o.store.state.url;
    this.#sharedView = !!(u.view && (u.commune || u.autour));
    const root = o.root;
    root.addEventListener('click', (e) => {
      const target = e.target as Element;
      const btn = target.closest<HTMLButtonElement>('button[data-id]');
      if (btn) {
        o.store.updateUrl({lieu: btn.dataset['id']!}, 'push');
        return;
      }
      if (target.closest('[data-action="plus"]')) {
        const first = this.#shown;
        this.#shown += PAGE;
        this.#render(false);
        root.querySelectorAll<HTMLButtonElement>('button[data-id]')[first]?.focus();
      }
    });
    const hover = (e: Event) => {
      const li = (e.target as Element).closest<HTMLElement>('li[data-index], li[data-proche]');
      const item = li ? this.#itemAt(li) : undefined;
      const cur = o.store.state.hover;
      if (item && cur?.id !== item.id) o.store.update({hover: placePoint(item)});
    };
    const leave = (e: FocusEvent | MouseEvent) => {
      const to = e.relatedTarget as Node | null;
      if (to && root.contains(to)) return;
      if (o.store.state.hover) o.store.update({hover: null});
    };
    root.addEventListener('mouseover', hover);
    root.addEventListener('focusin', hover);
    root.addEventListener('mouseout', leave);
    root.addEventListener('focusout', leave);
    o.store.subscribe((s, prev) => this.#onState(s, prev));
    this.#onState(o.store.state, null);
  }

  /** The item of a list entry (data-index, or data-proche for the
   * nearest places beyond the radius). */
  #itemAt(li: HTMLElement): Item | undefined {
    const near = li.dataset['proche'];
    return near !== undefined ? this.#nearest[Number(near)] : this.#items[Number(li.dataset['index'])];
  }

  #onState(s: AppState, prev: AppState | null): void {
    if (s.route !== 'carte') return;
    if (prev && s.hover !== prev.hover) this.#markHover(s.hover?.id ?? null);
    const key = queryKey(s);
    const filtersChanged = !prev || s.url.filters !== prev.url.filters;
    if (prev && s.directions !== prev.directions) this.#render(false);
    if (s.origin) {
      if (key !== this.#key || filtersChanged) void this.#load(s);
      else if (prev && s.minute !== prev.minute && this.#stale(s)) void this.#load(s, false);
      return;
    }
    // Browsing: follow the map (debounced).
    if (!prev || filtersChanged || s.url.view !== prev.url.view || prev.origin) {
      window.clearTimeout(this.#browseTimer);
      this.#browseTimer = window.setTimeout(() => void this.#load(this.#o.store.state), prev ? 350 : 0);
    } else if (s.minute !== prev.minute && this.#stale(s)) {
      void this.#load(s, false);
    }
  }

  /** Re-reads the list once the map can tell its viewport. */
  refresh(): void {
    this.#key = '';
    void this.#load(this.#o.store.state);
  }

  /** Whether the list must be asked again as time passes: "open now" is
   * on, or some place's opening or closing has come. */
  #stale(s: AppState): boolean {
    const now = new Date();
    return s.url.filters.ouvert || this.#items.some((it) => isStale(it.properties.horaires_calcules, now));
  }

  async #load(s: AppState, say = true): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#key = queryKey(s);
    const params = siteParams(s.url.filters);
    let center: [number, number] | null;
    let radius: number;
    if (s.origin) {
      center = [s.origin.lon, s.origin.lat];
      radius = s.url.rayon * 1000;
    } else if (scopeParams().size > 0 && (this.#o.viewport()?.zoom ?? 0) < MIN_BROWSE_ZOOM) {
      // The embed page of a territory (epci, departement): its places,
      // until the map is zoomed enough to list those around its centre.
      center = null;
      radius = 0;
    } else {
      const vp = this.#o.viewport();
      if (!vp || vp.zoom < MIN_BROWSE_ZOOM) {
        this.#items = [];
        this.#nearest = [];
        this.#renderHint();
        return;
      }
      center = vp.center;
      radius = Math.min(Math.max(vp.radius, 500), 200000);
    }
    if (center) {
      params.set('near', `${center[0].toFixed(5)},${center[1].toFixed(5)}`);
      params.set('radius', String(Math.round(radius)));
    }
    params.set('limit', '1000');
    if (s.origin) params.set('plus_proches', String(NEAREST));
    this.#o.root.setAttribute('aria-busy', 'true');
    try {
      const page = await listSites(params, abort.signal);
      if (abort.signal.aborted) return;
      const f = s.url.filters;
      const withDistance = (x: Feature<PlaceSummary>): Item => ({
        ...x,
        distance: s.origin && center ? (x.properties.distance_m ?? haversine(center, x.geometry.coordinates)) : null,
      });
      const items = page.features.filter((x) => matchesClientFilters(x.properties, f)).map(withDistance);
      this.#items = items;
      this.#nearest = items.length === 0 ? (page.plus_proches ?? []).filter((x) => matchesClientFilters(x.properties, f)).map(withDistance) : [];
      this.#total = f.rdv ? items.length : page.total;
      this.#truncated = page.total > page.features.length;
      this.#shown = PAGE;
      this.#render(say);
      if (s.origin && center) this.#fit(s, center);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      this.#items = [];
      this.#nearest = [];
      replaceChildren(
        this.#o.root,
        h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, `La liste des lieux n'a pas pu être chargée : ${(err as Error).message}`)),
      );
    } finally {
      if (!abort.signal.aborted) this.#o.root.removeAttribute('aria-busy');
    }
  }

  #title(s: AppState, n: number): string {
    const r = s.url.rayon;
    if (s.origin) {
      const where = deNom(s.commune ? s.commune.nom : s.origin.label);
      if (n === 0 && this.#nearest.length > 0) return `Aucun lieu à moins de ${r} km ${where}. Les plus proches :`;
      return `${plural(n, 'lieu', 'lieux')} à moins de ${r} km ${where}`;
    }
    return `${plural(n, 'lieu', 'lieux')} autour du centre de la carte`;
  }

  /** After a new search or radius, fits the map to the listed places (or
   * the nearest ones beyond the radius) and the radius, centred on the
   * origin: the box is made symmetric around it, so that on a phone the
   * position stands in the middle of the map above the bottom sheet (the
   * map's padding). A shared link's view is kept on first load. */
  #fit(s: AppState, center: [number, number]): void {
    const key = JSON.stringify([center, s.url.rayon]);
    if (key === this.#fitted) return;
    this.#fitted = key;
    if (this.#sharedView) {
      this.#sharedView = false; // the page opened on a shared view: keep it
      return;
    }
    const pts = (this.#items.length ? this.#items : this.#nearest).slice(0, 200).map((x) => x.geometry.coordinates);
    let dx = 0;
    let dy = 0;
    for (const [lon, lat] of pts) {
      dx = Math.max(dx, Math.abs(lon - center[0]));
      dy = Math.max(dy, Math.abs(lat - center[1]));
    }
    // At least the circle's radius when places fill it, else the places.
    if (this.#items.length > 0) {
      const rLat = (s.url.rayon * 1000) / 111195;
      const rLon = rLat / Math.cos((center[1] * Math.PI) / 180);
      dx = Math.min(dx, rLon);
      dy = Math.min(dy, rLat);
    }
    dx = Math.max(dx, 0.01);
    dy = Math.max(dy, 0.006);
    this.#o.store.moveCamera({bbox: [center[0] - dx, center[1] - dy, center[0] + dx, center[1] + dy]});
  }

  #renderHint(): void {
    replaceChildren(
      this.#o.root,
      h('h2', {class: 'resultats__titre', id: 'resultats-titre'}, 'Lieux'),
      h(
        'p',
        {class: 'resultats__aide'},
        'Recherchez une commune ou un code postal, utilisez « Autour de moi », ou zoomez sur la carte pour afficher la liste des lieux les plus proches.',
      ),
    );
  }

  #entry(it: Item, attrs: Record<string, string | number>, s: AppState, phone: boolean): HTMLElement {
    const p = it.properties;
    const nom = displayName(p);
    const hours = hoursWording(p.horaires_calcules, p.horaires);
    const fs = p.dispositif_programmes_nationaux.includes('France Services');
    const approx = p.precision === 'commune';
    const address = [p.adresse, `${p.code_postal} ${p.commune}`.trim()].filter(Boolean).join(', ');
    const [lon, lat] = it.geometry.coordinates;
    return h(
      'li',
      {...attrs, class: 'lieu' + (approx ? ' lieu--approx' : '') + (s.hover?.id === it.id ? ' est-survole' : '')},
      h('h3', {class: 'lieu__nom'}, h('button', {type: 'button', class: 'lieu__bouton', 'data-id': it.id}, nom)),
      approx
        ? h('p', {class: 'lieu__adresse'}, `Position approximative : dans la commune ${deNom(p.commune)}`, p.adresse ? `, adresse : ${p.adresse}` : '')
        : h('p', {class: 'lieu__adresse'}, address),
      h(
        'div',
        {class: 'lieu__meta'},
        it.distance !== null && !approx
          ? h('span', {class: 'lieu__distance'}, h('span', {class: 'fr-sr-only'}, 'Distance : '), formatDistance(it.distance))
          : null,
        it.distance !== null && approx
          ? h('span', {class: 'lieu__distance lieu__distance--approx'}, h('span', {class: 'fr-sr-only'}, 'Distance du centre de la commune : '), `centre de la commune à ${formatDistance(it.distance)}`)
          : null,
        fs ? h('p', {class: 'fr-badge fr-badge--sm fr-badge--no-icon badge-fs'}, 'France Services') : null,
        p.hors_region ? h('p', {class: 'fr-badge fr-badge--sm fr-badge--no-icon'}, 'Hors région') : null,
        hours && hours.ouvert !== null
          ? h('p', {class: `fr-badge fr-badge--sm ${hours.ouvert ? 'fr-badge--success' : 'fr-badge--error'}`}, hours.main)
          : null,
      ),
      hours && hours.detail !== null
        ? h('details', {class: 'lieu__horaires'}, h('summary', {}, hours.main), h('p', {class: 'lieu__horaires-texte'}, hours.detail))
        : null,
      h(
        'a',
        {
          class: 'fr-link fr-link--sm lieu__itineraire',
          href: directionsHref(lat, lon, nom, phone, s.directions),
          ...(phone ? {} : {target: '_blank', rel: 'noopener'}),
          title: phone ? `Itinéraire vers ${nom} (application de cartes)` : `Itinéraire vers ${nom} (nouvelle fenêtre)`,
          'data-itineraire': phone ? 'geo' : 'web',
        },
        'Itinéraire',
      ),
    );
  }

  #render(say = true): void {
    const s = this.#o.store.state;
    const phone = isPhone();
    const visible = this.#items.slice(0, this.#shown);
    const title = this.#title(s, this.#total);
    const items = visible.map((it, i) => this.#entry(it, {'data-index': i}, s, phone));
    const nearest = this.#nearest.map((it, i) => this.#entry(it, {'data-proche': i}, s, phone));
    const more = this.#items.length > this.#shown;
    const left = this.#items.length - this.#shown;
    replaceChildren(
      this.#o.root,
      h('h2', {class: 'resultats__titre', id: 'resultats-titre'}, title),
      this.#truncated ? h('p', {class: 'resultats__aide'}, 'Seuls les 1 000 lieux les plus proches sont listés.') : null,
      this.#items.length > 0
        ? h('ol', {class: 'resultats__liste'}, items)
        : nearest.length > 0
          ? h('ol', {class: 'resultats__liste resultats__liste--proches', 'aria-labelledby': 'resultats-titre'}, nearest)
          : h('p', {class: 'resultats__aide'}, s.origin ? 'Aucun lieu ne correspond. Élargissez le rayon ou retirez des filtres.' : 'Aucun lieu dans cette zone.'),
      nearest.length > 0 ? h('p', {class: 'resultats__aide'}, `Ils sont au-delà de ${s.url.rayon} km : élargissez le rayon pour les compter avec les autres.`) : null,
      more
        ? h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm fr-mt-2w', 'data-action': 'plus'}, `Afficher ${plural(Math.min(PAGE, left), 'lieu', 'lieux')} de plus`)
        : null,
      h('p', {class: 'fr-sr-only', 'aria-live': 'polite', id: 'resultats-annonce'}),
    );
    if (say) announce(this.#o.root.querySelector<HTMLElement>('#resultats-annonce')!, title);
  }

  #markHover(id: string | null): void {
    for (const li of this.#o.root.querySelectorAll<HTMLElement>('li[data-index], li[data-proche]')) {
      const item = this.#itemAt(li);
      li.classList.toggle('est-survole', !!id && item?.id === id);
    }
  }
}
