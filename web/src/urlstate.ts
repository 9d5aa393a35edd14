// The shareable state of the map page, kept in the URL query string:
//
//   /carte?vue=12.5/49.90041/2.28986&commune=80021&rayon=10&lieu=1117
//          &dispositifs=France+Services&services=…&ouvert=1&rdv=1
//
// vue       zoom/latitude/longitude of the map
// commune   INSEE code of the chosen commune (list sorted from its centre)
// autour    latitude,longitude of "Autour de moi" (rounded to ~100 m) or of
//           a chosen address (rounded to ~1 m)
// adresse   label of the chosen address (with autour only)
// rayon     radius of the list in km
// lieu      id of the place whose sheet is open
// services, publics, prise_en_charge, frais, modalites_accompagnement,
// modalites_acces, dispositifs: filters (repeated parameters)
// ouvert=1  open now; rdv=1 online booking

import {COMMUNE_CODE} from './codes.ts';
import {FACETS, type FacetParam} from './taxonomy.ts';

export interface View {
  zoom: number;
  lat: number;
  lon: number;
}

export type FacetFilters = Record<FacetParam, string[]>;

export interface Filters extends FacetFilters {
  ouvert: boolean;
  rdv: boolean;
}

export interface UrlState {
  view: View | null;
  commune: string | null;
  autour: [number, number] | null; // lon, lat
  /** Label of the address whose point is autour (null: the user's position). */
  adresse: string | null;
  rayon: number;
  lieu: string | null;
  filters: Filters;
}

export const RADII = [2, 5, 10, 20, 50] as const;
export const DEFAULT_RADIUS = 10;

export function emptyFilters(): Filters {
  const f = {ouvert: false, rdv: false} as Filters;
  for (const facet of FACETS) f[facet.param] = [];
  return f;
}

export function emptyState(): UrlState {
  return {view: null, commune: null, autour: null, adresse: null, rayon: DEFAULT_RADIUS, lieu: null, filters: emptyFilters()};
}

/** How many filters are set (for the "Filtres (3)" button). */
export function countFilters(f: Filters): number {
  let n = (f.ouvert ? 1 : 0) + (f.rdv ? 1 : 0);
  for (const facet of FACETS) n += f[facet.param].length;
  return n;
}

function round(x: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

function num(s: string | undefined): number | null {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Reads the state from a query string; invalid parts are ignored. */
export function decodeState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const s = emptyState();
  const vue = q.get('vue');
  if (vue) {
    const [z, lat, lon] = vue.split('/').map((p) => num(p));
    if (z != null && lat != null && lon != null && z >= 0 && z <= 22 && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
      s.view = {zoom: z, lat, lon};
    }
  }
  const commune = (q.get('commune') ?? '').toUpperCase();
  if (COMMUNE_CODE.test(commune)) s.commune = commune;
  const autour = q.get('autour');
  if (autour && !s.commune) {
    const [lat, lon] = autour.split(',').map((p) => num(p));
    if (lat != null && lon != null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) s.autour = [lon, lat];
  }
  const adresse = (q.get('adresse') ?? '').trim();
  if (s.autour && adresse && adresse.length <= 200) s.adresse = adresse;
  const rayon = num(q.get('rayon') ?? undefined);
  if (rayon != null && (RADII as readonly number[]).includes(rayon)) s.rayon = rayon;
  const lieu = q.get('lieu');
  if (lieu && lieu.length <= 200) s.lieu = lieu;
  for (const facet of FACETS) {
    const wanted = new Set(q.getAll(facet.param).flatMap((v) => v.split('|')));
    // Keep the vocabulary's order so that equal states give equal URLs.
    s.filters[facet.param] = facet.values.filter((v) => wanted.has(v));
  }
  s.filters.ouvert = q.get('ouvert') === '1';
  s.filters.rdv = q.get('rdv') === '1';
  return s;
}

/** Writes the state as a query string (without "?"), in a fixed order. */
export function encodeState(s: UrlState): string {
  const q = new URLSearchParams();
  if (s.view) {
    q.set('vue', `${round(s.view.zoom, 2)}/${round(s.view.lat, 5)}/${round(s.view.lon, 5)}`);
  }
  if (s.commune) q.set('commune', s.commune);
  else if (s.autour) {
    // An address is public: keep it precise; the user's position is not.
    const d = s.adresse ? 5 : 3;
    q.set('autour', `${round(s.autour[1], d)},${round(s.autour[0], d)}`);
  }
  if (s.rayon !== DEFAULT_RADIUS) q.set('rayon', String(s.rayon));
  if (s.lieu) q.set('lieu', s.lieu);
  if (!s.commune && s.autour && s.adresse) q.set('adresse', s.adresse);
  for (const facet of FACETS) {
    for (const v of facet.values) if (s.filters[facet.param].includes(v)) q.append(facet.param, v);
  }
  if (s.filters.ouvert) q.set('ouvert', '1');
  if (s.filters.rdv) q.set('rdv', '1');
  // "/" and "," need no escaping in a query (RFC 3986): keep links readable.
  return q.toString().replace(/%2F/g, '/').replace(/%2C/g, ',');
}

/** The filters as API (and tile) query parameters: the facets only. */
/** The territory every place query of the page is restricted to (the
 * embed page's epci or departement, see embed/embed.ts): empty elsewhere. */
let scope = new URLSearchParams();

/** Restricts the page's places (list, tiles, counts) to a territory. */
export function setScope(params: URLSearchParams): void {
  scope = new URLSearchParams(params);
}

/** The page's territory restriction ("epci=…" or "departement=…", or ""). */
export function scopeParams(): URLSearchParams {
  return new URLSearchParams(scope);
}

export function facetParams(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const facet of FACETS) for (const v of f[facet.param]) q.append(facet.param, v);
  for (const [k, v] of scope) q.append(k, v);
  return q;
}

/** The filters as /api/sites parameters: the facets, and "open now",
 * which the server applies (ouvert=maintenant). */
export function siteParams(f: Filters): URLSearchParams {
  const q = facetParams(f);
  if (f.ouvert) q.set('ouvert', 'maintenant');
  return q;
}

/** Whether the map draws the matching places itself rather than vector
 * tiles: "open now" changes every minute, which cached tiles cannot follow,
 * and online booking is applied in the browser. */
export function hasClientFilters(f: Filters): boolean {
  return f.ouvert || f.rdv;
}
