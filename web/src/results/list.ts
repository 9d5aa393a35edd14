// The list of places: sorted by distance from the chosen commune's centre
// or the user's position (GET /api/sites?near=…&radius=…), or, without
// either, the places around the centre of the map once zoomed in. Kept in
// step with the map: hover or focus highlights the place, a click opens its
// sheet.

import {listSites, type Feature, type PlaceSummary} from '../api.ts';
import {announce, h, replaceChildren} from '../dom.ts';
import {matchesClientFilters} from '../filters/predicate.ts';
import {formatDistance, haversine, plural} from '../format.ts';
import {isStale, readable} from '../hours.ts';
import type {AppState, PlacePoint, Store} from '../store.ts';
import {siteParams} from '../urlstate.ts';

const PAGE = 30;
const MIN_BROWSE_ZOOM = 9;

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
    nom: f.properties.nom,
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

  constructor(o: ListOptions) {
    this.#o = o;
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
      const li = (e.target as Element).closest<HTMLElement>('li[data-index]');
      const item = li ? this.#items[Number(li.dataset['index'])] : undefined;
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

  #onState(s: AppState, prev: AppState | null): void {
    if (s.route !== 'carte') return;
    if (prev && s.hover !== prev.hover) this.#markHover(s.hover?.id ?? null);
    const key = queryKey(s);
    const filtersChanged = !prev || s.url.filters !== prev.url.filters;
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
    let center: [number, number];
    let radius: number;
    if (s.origin) {
      center = [s.origin.lon, s.origin.lat];
      radius = s.url.rayon * 1000;
    } else {
      const vp = this.#o.viewport();
      if (!vp || vp.zoom < MIN_BROWSE_ZOOM) {
        this.#items = [];
        this.#renderHint();
        return;
      }
      center = vp.center;
      radius = Math.min(Math.max(vp.radius, 500), 200000);
    }
    params.set('near', `${center[0].toFixed(5)},${center[1].toFixed(5)}`);
    params.set('radius', String(Math.round(radius)));
    params.set('limit', '1000');
    this.#o.root.setAttribute('aria-busy', 'true');
    try {
      const page = await listSites(params, abort.signal);
      if (abort.signal.aborted) return;
      const f = s.url.filters;
      const items = page.features
        .filter((x) => matchesClientFilters(x.properties, f))
        .map((x) => ({...x, distance: s.origin ? (x.properties.distance_m ?? haversine(center, x.geometry.coordinates)) : null}));
      this.#items = items;
      this.#total = f.rdv ? items.length : page.total;
      this.#truncated = page.total > page.features.length;
      this.#shown = PAGE;
      this.#render(say);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      this.#items = [];
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
      const where = s.commune ? `de ${s.commune.nom}` : `de ${s.origin.label}`;
      return `${plural(n, 'lieu', 'lieux')} à moins de ${r} km ${where}`;
    }
    return `${plural(n, 'lieu', 'lieux')} autour du centre de la carte`;
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

  #render(say = true): void {
    const s = this.#o.store.state;
    const visible = this.#items.slice(0, this.#shown);
    const title = this.#title(s, this.#total);
    const items = visible.map((it, i) => {
      const p = it.properties;
      const hours = readable(p.horaires_calcules);
      const fs = p.dispositif_programmes_nationaux.includes('France Services');
      return h(
        'li',
        {'data-index': i, class: 'lieu' + (s.hover?.id === it.id ? ' est-survole' : '')},
        h('h3', {class: 'lieu__nom'}, h('button', {type: 'button', class: 'lieu__bouton', 'data-id': it.id}, p.nom)),
        h('p', {class: 'lieu__adresse'}, [p.adresse, `${p.code_postal} ${p.commune}`.trim()].filter(Boolean).join(', ')),
        h(
          'div',
          {class: 'lieu__meta'},
          it.distance !== null
            ? h(
                'span',
                {class: 'lieu__distance'},
                h('span', {class: 'fr-sr-only'}, 'Distance : '),
                formatDistance(it.distance),
                p.precision === 'commune' ? h('span', {class: 'lieu__approx'}, ' (position approximative)') : null,
              )
            : null,
          fs ? h('p', {class: 'fr-badge fr-badge--sm fr-badge--no-icon badge-fs'}, 'France Services') : null,
          p.hors_region ? h('p', {class: 'fr-badge fr-badge--sm fr-badge--no-icon'}, 'Hors région') : null,
          hours
            ? h('p', {class: `fr-badge fr-badge--sm ${hours.ouvert ? 'fr-badge--success' : 'fr-badge--error'}`}, hours.libelle)
            : null,
        ),
      );
    });
    const more = this.#items.length > this.#shown;
    replaceChildren(
      this.#o.root,
      h('h2', {class: 'resultats__titre', id: 'resultats-titre'}, title),
      this.#truncated ? h('p', {class: 'resultats__aide'}, 'Seuls les 1 000 lieux les plus proches sont listés.') : null,
      this.#items.length === 0
        ? h('p', {class: 'resultats__aide'}, s.origin ? 'Aucun lieu ne correspond. Élargissez le rayon ou retirez des filtres.' : 'Aucun lieu dans cette zone.')
        : h('ol', {class: 'resultats__liste'}, items),
      more
        ? h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm fr-mt-2w', 'data-action': 'plus'}, `Afficher ${Math.min(PAGE, this.#items.length - this.#shown)} lieux de plus`)
        : null,
      h('p', {class: 'fr-sr-only', 'aria-live': 'polite', id: 'resultats-annonce'}),
    );
    if (say) announce(this.#o.root.querySelector<HTMLElement>('#resultats-annonce')!, title);
  }

  #markHover(id: string | null): void {
    for (const li of this.#o.root.querySelectorAll<HTMLElement>('li[data-index]')) {
      const item = this.#items[Number(li.dataset['index'])];
      li.classList.toggle('est-survole', !!id && item?.id === id);
    }
  }
}
