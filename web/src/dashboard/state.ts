// The shareable state of the dashboard, kept in the URL query string:
//
//   /tableau-de-bord?niveau=commune&indicateur=zone_blanche&seuil=30
//     &dispositifs=France+Services&territoire=80021&mode=scenario
//     &ajout=1.83,50.667&retrait=<id>&zones=1&vue=9/50.6/1.9
//
// niveau       commune | epci | departement | region (default epci; region
//              when several regions are loaded)
// indicateur   temps_moyen | temps_p90 | zone_blanche | lieux_10000 | accessibilite
// seuil, vitesse, detour   model parameters (minutes, km/h, road/straight ratio)
// profil       population | 65plus | pauvres | mixte: whose demand (default population)
// fragilite=1  demand weighted by the communes' fragility
// priorites=1  the priority table shown
// services, dispositifs    supply filters, under the API's names
// territoire   code of the selected territory of the level
// mode         exploration | scenario | implantation
// zones=1      white zones drawn; lieux=1 places drawn (always in the scenario mode)
// vue          zoom/latitude/longitude of the map
// ajout        hypothetical place lon,lat[,s<i>|s*][,d<i>|d-] (repeated)
// retrait      id of a place removed in the scenario (repeated)
// k, espacement, candidats   siting: count, minimum spacing (km), grille | communes
//
// Pure: no DOM, tested in test/dashboard-state.test.ts.

import {COMMUNE_CODE, DEPARTEMENT_CODE, SIREN} from '../codes.ts';
import type {TileLevel} from '../map/featureids.ts';
import {FACETS} from '../taxonomy.ts';
import type {View} from '../urlstate.ts';

/** A level of the dashboard: those the tiles draw, and the regions (drawn
 * with their départements' polygons) when several are loaded. */
export type Level = TileLevel | 'region';
export type IndicatorKey = 'temps_moyen' | 'temps_p90' | 'zone_blanche' | 'lieux_10000' | 'accessibilite' | 'fragilite';
export type Profile = 'population' | '65plus' | 'pauvres' | 'mixte';
export type Mode = 'exploration' | 'scenario' | 'implantation';
export type Candidates = 'grille' | 'communes';

/** The levels the tiles draw. */
export const LEVELS: readonly TileLevel[] = ['commune', 'epci', 'departement'];
/** Every level of the dashboard. */
export const DASH_LEVELS: readonly Level[] = [...LEVELS, 'region'];

/** The level of the tile polygons that draw a level. */
export function tileLevel(level: Level): TileLevel {
  return level === 'region' ? 'departement' : level;
}
export const INDICATOR_KEYS: readonly IndicatorKey[] = ['temps_moyen', 'temps_p90', 'zone_blanche', 'lieux_10000', 'accessibilite', 'fragilite'];
export const PROFILES: readonly Profile[] = ['population', '65plus', 'pauvres', 'mixte'];

/** Threshold presets that match the public targets for France Services. */
export const THRESHOLD_PRESETS: readonly {minutes: number; label: string; hint: string}[] = [
  {minutes: 20, label: '20 min', hint: 'ce que mesure l’ANCT pour France Services'},
  {minutes: 30, label: '30 min', hint: 'objectif officiel France Services'},
];
export const MODES: readonly Mode[] = ['exploration', 'scenario', 'implantation'];

export const SERVICES: readonly string[] = FACETS.find((f) => f.param === 'services')!.values;
export const DISPOSITIFS: readonly string[] = FACETS.find((f) => f.param === 'dispositifs')!.values;

/** The model's parameters (the API's threshold_min, speed_kmh, circuity,
 * services, dispositifs, profil, fragilite). */
export interface ModelParams {
  seuil: number;
  vitesse: number;
  detour: number;
  services: string[];
  dispositifs: string[];
  /** Whose demand: every inhabitant (default), 65+, poor households, a mix. */
  profil: Profile;
  /** Demand weighted by the communes' fragility. */
  fragilite: boolean;
}

/** The services of a hypothetical place: those of the analysis, all of
 * them, or one; its dispositif: those of the analysis, none, or one. */
export type AddedService = 'analyse' | 'tous' | string;
export type AddedDispositif = 'analyse' | 'aucun' | string;

export interface Addition {
  lon: number;
  lat: number;
  service: AddedService;
  dispositif: AddedDispositif;
}

export interface DashState {
  niveau: Level;
  indicateur: IndicatorKey;
  params: ModelParams;
  territoire: string | null;
  mode: Mode;
  zones: boolean;
  lieux: boolean;
  view: View | null;
  ajouts: Addition[];
  retraits: string[];
  k: number;
  espacement: number;
  candidats: Candidates;
  /** The priority table is shown. */
  priorites: boolean;
}

/** Bounds of the parameters, as the API checks them. */
export const BOUNDS = {
  seuil: {min: 1, max: 180, step: 1, default: 20},
  vitesse: {min: 5, max: 130, step: 1, default: 45},
  detour: {min: 1, max: 3, step: 0.05, default: 1.3},
  k: {min: 1, max: 50, step: 1, default: 5},
  espacement: {min: 0, max: 200, step: 0.5, default: 0},
} as const;

export const MAX_ADDITIONS = 500;
export const MAX_REMOVALS = 500;

export function defaultParams(): ModelParams {
  return {seuil: BOUNDS.seuil.default, vitesse: BOUNDS.vitesse.default, detour: BOUNDS.detour.default, services: [], dispositifs: [], profil: 'population', fragilite: false};
}

/** Whether the map draws the places (needed to remove some). */
export function showsPlaces(s: DashState): boolean {
  return s.lieux || s.mode === 'scenario';
}

export function emptyDash(): DashState {
  return {
    niveau: 'epci',
    indicateur: 'temps_moyen',
    params: defaultParams(),
    territoire: null,
    mode: 'exploration',
    zones: false,
    lieux: false,
    view: null,
    ajouts: [],
    retraits: [],
    k: BOUNDS.k.default,
    espacement: BOUNDS.espacement.default,
    candidats: 'grille',
    priorites: false,
  };
}

const TERRITORY: Record<Level, RegExp> = {
  commune: COMMUNE_CODE,
  epci: SIREN,
  departement: DEPARTEMENT_CODE,
  region: /^\d{2}$/,
};

/** Whether a code is a valid territory code of a level. */
export function validTerritory(level: Level, code: string): boolean {
  return TERRITORY[level].test(code);
}

function round(x: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(x * p) / p;
}

function num(s: string | null | undefined): number | null {
  if (s == null || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A number within bounds, or null. */
export function inBounds(x: number | null, b: {min: number; max: number}): number | null {
  return x != null && x >= b.min && x <= b.max ? x : null;
}

function vocabulary(q: URLSearchParams, name: string, values: readonly string[]): string[] {
  const wanted = new Set(q.getAll(name).flatMap((v) => v.split('|')));
  return values.filter((v) => wanted.has(v));
}

function decodeAddition(raw: string): Addition | null {
  const parts = raw.split(',');
  const lon = num(parts[0]);
  const lat = num(parts[1]);
  if (lon == null || lat == null || Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
  const a: Addition = {lon: round(lon, 5), lat: round(lat, 5), service: 'analyse', dispositif: 'analyse'};
  for (const p of parts.slice(2)) {
    if (p === 's*') a.service = 'tous';
    else if (p === 'd-') a.dispositif = 'aucun';
    else if (/^s\d+$/.test(p)) {
      const v = SERVICES[Number(p.slice(1))];
      if (v) a.service = v;
    } else if (/^d\d+$/.test(p)) {
      const v = DISPOSITIFS[Number(p.slice(1))];
      if (v) a.dispositif = v;
    }
  }
  return a;
}

function encodeAddition(a: Addition): string {
  const parts = [String(round(a.lon, 5)), String(round(a.lat, 5))];
  if (a.service === 'tous') parts.push('s*');
  else if (a.service !== 'analyse' && SERVICES.includes(a.service)) parts.push(`s${SERVICES.indexOf(a.service)}`);
  if (a.dispositif === 'aucun') parts.push('d-');
  else if (a.dispositif !== 'analyse' && DISPOSITIFS.includes(a.dispositif)) parts.push(`d${DISPOSITIFS.indexOf(a.dispositif)}`);
  return parts.join(',');
}

/** Reads the dashboard state from a query string; invalid parts are
 * ignored (their default is kept). */
export function decodeDash(search: string): DashState {
  const q = new URLSearchParams(search);
  const s = emptyDash();
  const niveau = q.get('niveau');
  if ((DASH_LEVELS as readonly string[]).includes(niveau ?? '')) s.niveau = niveau as Level;
  const ind = q.get('indicateur');
  if ((INDICATOR_KEYS as readonly string[]).includes(ind ?? '')) s.indicateur = ind as IndicatorKey;
  s.params.seuil = inBounds(num(q.get('seuil')), BOUNDS.seuil) ?? s.params.seuil;
  s.params.vitesse = inBounds(num(q.get('vitesse')), BOUNDS.vitesse) ?? s.params.vitesse;
  s.params.detour = inBounds(num(q.get('detour')), BOUNDS.detour) ?? s.params.detour;
  s.params.services = vocabulary(q, 'services', SERVICES);
  s.params.dispositifs = vocabulary(q, 'dispositifs', DISPOSITIFS);
  const profil = q.get('profil');
  if ((PROFILES as readonly string[]).includes(profil ?? '')) s.params.profil = profil as Profile;
  s.params.fragilite = q.get('fragilite') === '1';
  const t = (q.get('territoire') ?? '').toUpperCase();
  if (validTerritory(s.niveau, t)) s.territoire = t;
  const mode = q.get('mode');
  if ((MODES as readonly string[]).includes(mode ?? '')) s.mode = mode as Mode;
  s.zones = q.get('zones') === '1';
  s.lieux = q.get('lieux') === '1';
  const vue = q.get('vue');
  if (vue) {
    const [z, lat, lon] = vue.split('/').map((p) => num(p));
    if (z != null && lat != null && lon != null && z >= 0 && z <= 22 && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
      s.view = {zoom: z, lat, lon};
    }
  }
  s.ajouts = q
    .getAll('ajout')
    .map(decodeAddition)
    .filter((a): a is Addition => a !== null)
    .slice(0, MAX_ADDITIONS);
  s.retraits = [...new Set(q.getAll('retrait').filter((id) => id.length > 0 && id.length <= 200))].slice(0, MAX_REMOVALS);
  s.k = inBounds(num(q.get('k')), BOUNDS.k) ?? s.k;
  s.k = Math.round(s.k);
  s.espacement = inBounds(num(q.get('espacement')), BOUNDS.espacement) ?? s.espacement;
  if (q.get('candidats') === 'communes') s.candidats = 'communes';
  s.priorites = q.get('priorites') === '1';
  return s;
}

/** Writes the state as a query string (without "?"), in a fixed order,
 * leaving out defaults. */
export function encodeDash(s: DashState): string {
  const d = emptyDash();
  const q = new URLSearchParams();
  if (s.mode !== d.mode) q.set('mode', s.mode);
  if (s.niveau !== d.niveau) q.set('niveau', s.niveau);
  if (s.indicateur !== d.indicateur) q.set('indicateur', s.indicateur);
  if (s.params.seuil !== d.params.seuil) q.set('seuil', String(round(s.params.seuil, 2)));
  if (s.params.vitesse !== d.params.vitesse) q.set('vitesse', String(round(s.params.vitesse, 2)));
  if (s.params.detour !== d.params.detour) q.set('detour', String(round(s.params.detour, 2)));
  for (const v of SERVICES) if (s.params.services.includes(v)) q.append('services', v);
  for (const v of DISPOSITIFS) if (s.params.dispositifs.includes(v)) q.append('dispositifs', v);
  if (s.params.profil !== d.params.profil) q.set('profil', s.params.profil);
  if (s.params.fragilite) q.set('fragilite', '1');
  if (s.territoire) q.set('territoire', s.territoire);
  if (s.zones) q.set('zones', '1');
  if (s.lieux) q.set('lieux', '1');
  for (const a of s.ajouts) q.append('ajout', encodeAddition(a));
  for (const id of s.retraits) q.append('retrait', id);
  if (s.k !== d.k) q.set('k', String(s.k));
  if (s.espacement !== d.espacement) q.set('espacement', String(round(s.espacement, 2)));
  if (s.candidats !== d.candidats) q.set('candidats', s.candidats);
  if (s.priorites) q.set('priorites', '1');
  if (s.view) q.set('vue', `${round(s.view.zoom, 2)}/${round(s.view.lat, 5)}/${round(s.view.lon, 5)}`);
  return q.toString().replace(/%2F/g, '/').replace(/%2C/g, ',');
}

/** The model's parameters as API query parameters (defaults left out, so
 * that the same analysis gives the same URL). */
export function apiParams(p: ModelParams): URLSearchParams {
  const d = defaultParams();
  const q = new URLSearchParams();
  if (p.seuil !== d.seuil) q.set('threshold_min', String(p.seuil));
  if (p.vitesse !== d.vitesse) q.set('speed_kmh', String(p.vitesse));
  if (p.detour !== d.detour) q.set('circuity', String(p.detour));
  for (const v of p.services) q.append('services', v);
  for (const v of p.dispositifs) q.append('dispositifs', v);
  if (p.profil !== d.profil) q.set('profil', p.profil);
  if (p.fragilite) q.set('fragilite', '1');
  return q;
}

/** The query of GET /api/priorites: the level and the analysis (its own
 * weighting by fragility, so fragilite is left out), the first rows. */
export function priorityParams(s: DashState, limit: number): URLSearchParams {
  const q = apiParams({...s.params, fragilite: false});
  q.set('niveau', s.niveau);
  if (limit > 0) q.set('limit', String(limit));
  return q;
}

/** The supply filters only, for the places (tiles, CSV export). */
export function supplyParams(p: ModelParams): URLSearchParams {
  const q = new URLSearchParams();
  for (const v of p.services) q.append('services', v);
  for (const v of p.dispositifs) q.append('dispositifs', v);
  return q;
}

/** The services and dispositifs a hypothetical place is given. */
export function additionSupply(a: Addition, p: ModelParams): {services: string[]; dispositifs: string[]} {
  const services = a.service === 'analyse' ? [...p.services] : a.service === 'tous' ? [...SERVICES] : [a.service];
  const dispositifs = a.dispositif === 'analyse' ? [...p.dispositifs] : a.dispositif === 'aucun' ? [] : [a.dispositif];
  return {services, dispositifs};
}

/** The body of POST /api/scenarios. */
export function scenarioBody(s: DashState, extra: {store?: boolean; title?: string} = {}): Record<string, unknown> {
  const p = s.params;
  return {
    params: {
      threshold_min: p.seuil,
      speed_kmh: p.vitesse,
      circuity: p.detour,
      services: p.services,
      dispositifs: p.dispositifs,
      ...(p.profil !== 'population' ? {profil: p.profil} : {}),
      ...(p.fragilite ? {fragilite: true} : {}),
    },
    add: s.ajouts.map((a, i) => ({lon: a.lon, lat: a.lat, name: `Lieu hypothétique ${i + 1}`, ...additionSupply(a, p)})),
    remove: s.retraits,
    ...(extra.store ? {store: true, title: extra.title ?? ''} : {}),
  };
}

/** The query of GET /api/siting. */
export function sitingParams(s: DashState): URLSearchParams {
  const q = apiParams(s.params);
  q.set('k', String(s.k));
  if (s.espacement > 0) q.set('min_spacing_km', String(s.espacement));
  if (s.candidats === 'communes') q.set('candidates', 'communes');
  return q;
}
