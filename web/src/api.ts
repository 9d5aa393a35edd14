// The Cartonum HTTP API as the front end uses it.

import type {FacetParam} from './taxonomy.ts';

export interface SearchResult {
  type: 'commune';
  code: string;
  nom: string;
  label: string;
  codePostal?: string;
  codesPostaux: string[];
  codeDepartement: string;
  population: number;
  centre: [number, number];
  bbox: [number, number, number, number];
}

/** One day of the ordinary week of a place. */
export interface ComputedDay {
  jour: string;
  /** "09:00-12:00"; an end of "24:00" closes the day. */
  plages: string[];
  commentaires?: string[];
}

/** A place's opening hours read by the server at the time of the request
 * (Europe/Paris, French public holidays). */
export interface ComputedHours {
  /** False when the hours cannot be read: show the raw `horaires`. */
  valide: boolean;
  ouvert: boolean;
  /** The next opening or closing (RFC 3339), null when none within 8 days. */
  prochain_changement: string | null;
  /** "Ouvert jusqu'à 18:00", "Fermé — ouvre lundi à 09:00". */
  libelle: string;
  /** The ordinary week, Monday first; empty when not valid. */
  semaine: ComputedDay[];
}

/** The summary of a place returned by /api/sites. */
export interface PlaceSummary {
  id: string;
  nom: string;
  /** The name normalised for reading (capitals, underscores); nom is the source's. */
  nom_affiche?: string;
  adresse: string;
  complement_adresse?: string;
  code_postal: string;
  commune: string;
  code_insee?: string;
  telephone?: string;
  horaires?: string;
  services: string[];
  dispositif_programmes_nationaux: string[];
  publics_specifiquement_adresses: string[];
  prise_en_charge_specifique: string[];
  frais_a_charge: string[];
  modalites_acces: string[];
  modalites_accompagnement: string[];
  prise_rdv?: string;
  precision: string;
  /** A place of a neighbouring region, kept as supply near the border. */
  hors_region?: boolean;
  distance_m?: number;
  /** One of the nearest places beyond the radius (plus_proches). */
  hors_rayon?: boolean;
  /** Absent when the place has no opening hours. */
  horaires_calcules?: ComputedHours;
}

/** The full record of a place (/api/sites/{id}). */
export interface PlaceDetail extends Partial<PlaceSummary> {
  id: string;
  nom: string;
  pivot?: string;
  latitude: number;
  longitude: number;
  typologie?: string[];
  courriels?: string[];
  site_web?: string[];
  presentation_resume?: string;
  presentation_detail?: string;
  source?: string;
  itinerance?: string[];
  structure_parente?: string;
  date_maj: string;
  formations_labels?: string[];
  autres_formations_labels?: string[];
  fiche_acces_libre?: string;
  provenance?: {precision?: string; sources?: string[]; horaires_invalid?: boolean};
  code_epci?: string;
  code_departement?: string;
  /** Equipment open to the public (beyond the standard). */
  equipements?: string[];
  /** "Pass numérique (APTIC)", "PictoAccess" (beyond the standard). */
  qualifications?: string[];
}

export interface Feature<P> {
  type: 'Feature';
  id: string;
  geometry: {type: 'Point'; coordinates: [number, number]};
  properties: P;
}

export interface SitesPage {
  type: 'FeatureCollection';
  features: Feature<PlaceSummary>[];
  total: number;
  limit: number;
  offset: number;
  data_version: number;
  /** With plus_proches=k and nothing within the radius: the k nearest places beyond it. */
  plus_proches?: Feature<PlaceSummary>[];
}

export interface CommuneInfo {
  code: string;
  nom: string;
  codesPostaux: string[];
  centre: [number, number];
  bbox: [number, number, number, number];
  lieux: number;
}

export interface TileJSON {
  tiles: string[];
  minzoom?: number;
  maxzoom?: number;
  bounds?: [number, number, number, number];
  center?: [number, number, number];
  attribution?: string;
  /** The layers of the tiles, each with its first and last zoom. */
  vector_layers?: {id: string; minzoom?: number; maxzoom?: number}[];
}

/** An API error with its French message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function apiError(res: Response): Promise<ApiError> {
  let msg = `erreur ${res.status}`;
  try {
    const body = (await res.json()) as {error?: string};
    if (body.error) msg = body.error;
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(msg, res.status);
}

async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, {signal, headers: {Accept: 'application/json'}});
  if (!res.ok) throw await apiError(res);
  return (await res.json()) as T;
}

export function searchCommunes(q: string, signal?: AbortSignal): Promise<SearchResult[]> {
  return search(q, signal).then((r) => r.results);
}

/** A place found by name in the search box. */
export interface PlaceResult {
  type: 'lieu';
  id: string;
  nom: string;
  nom_affiche: string;
  commune: string;
  codePostal?: string;
  centre: [number, number];
}

/** The answer of /api/search: communes (typos forgiven), places by name,
 * and a message when a street address was typed and the server has no
 * geocoder. */
export interface SearchAnswer {
  results: SearchResult[];
  lieux?: PlaceResult[];
  adresse_indisponible?: boolean;
  message?: string;
}

export function search(q: string, signal?: AbortSignal): Promise<SearchAnswer> {
  const p = new URLSearchParams({q, limit: '8'});
  return getJSON<SearchAnswer>(`/api/search?${p}`, signal);
}

/** One figure of the indicators, as the server declares it once for the
 * API, the CSV, the tiles and this app (Go: analysis.Fields). */
export interface IndicatorField {
  /** Key in the indicators' JSON. */
  json: string;
  /** Column of the indicators CSV. */
  csv: string;
  /** Attribute in the communes and EPCI tiles, when they carry it. */
  tile?: string;
  /** Key in an item's rank, when ranked. */
  rank?: string;
  rank_csv?: string;
  low_is_better: boolean;
  /** French label and unit. */
  label: string;
  unit: string;
  digits: number;
  tile_digits?: number;
}

/** A closed interval of a numeric analysis parameter. */
export interface ParamRange {
  min: number;
  max: number;
}

/** What the server offers (GET /api/config), with the tables this app
 * reads instead of copying them. */
/** A loaded region (GET /api/config): its départements draw it. */
export interface RegionInfo {
  code: string;
  name: string;
  departements: string[];
}

/** The top level of the dashboard (GET /api/config): the region, or the
 * national total (code FR) when several regions are loaded. */
export interface TopLevel {
  level: 'region' | 'national';
  code: string;
  name: string;
}

export interface ServerConfig {
  /** Code of the first loaded region. */
  region: string;
  /** The loaded regions, by code (older servers: absent). */
  regions?: RegionInfo[];
  top?: TopLevel;
  data_version: number;
  /** Whether /api/geocode answers (a geocoder is configured). */
  geocoder: boolean;
  /** Template of the "Itinéraire" links on desktops ({lat}, {lon}, {nom}). */
  directions_url?: string;
  /** A PMTiles archive of the territories (serve --pmtiles-url) the map
   * reads instead of /tiles; absent: the server's tiles. */
  pmtiles_url?: string;
  /** Values of each vocabulary of the standard, by field name. */
  vocabularies: Record<string, string[]>;
  /** Bounds and defaults of the analysis parameters. */
  params: {
    bounds: {threshold_min: ParamRange; speed_kmh: ParamRange; circuity: ParamRange};
    defaults: {threshold_min: number; speed_kmh: number; circuity: number};
  };
  /** The indicator fields (JSON name, CSV column, tile attribute, label, unit). */
  indicators: IndicatorField[];
}

/** An address found by the server's geocoder (GET /api/geocode). */
export interface GeocodeResult {
  label: string;
  type: string;
  score: number;
  /** lon, lat */
  centre: [number, number];
  code_insee?: string;
  code_postal?: string;
  commune?: string;
}

export function getConfig(signal?: AbortSignal): Promise<ServerConfig> {
  return getJSON<ServerConfig>('/api/config', signal);
}

export function geocode(q: string, limit = 5, signal?: AbortSignal): Promise<GeocodeResult[]> {
  const p = new URLSearchParams({q, limit: String(limit)});
  return getJSON<{results: GeocodeResult[]}>(`/api/geocode?${p}`, signal).then((r) => r.results);
}

export function getCommune(code: string, signal?: AbortSignal): Promise<CommuneInfo> {
  return getJSON<{properties: CommuneInfo}>(`/api/communes/${encodeURIComponent(code)}?geometry=false`, signal).then(
    (f) => f.properties,
  );
}

export function getPlace(id: string, signal?: AbortSignal): Promise<Feature<PlaceDetail>> {
  return getJSON<Feature<PlaceDetail>>(`/api/sites/${encodeURIComponent(id)}`, signal);
}

export function listSites(params: URLSearchParams, signal?: AbortSignal): Promise<SitesPage> {
  return getJSON<SitesPage>(`/api/sites?${params}`, signal);
}

/** Every place matching the parameters, page by page (bounded). */
export async function listAllSites(params: URLSearchParams, signal?: AbortSignal, maxPages = 20): Promise<SitesPage> {
  const p = new URLSearchParams(params);
  p.set('limit', '1000');
  p.set('offset', '0');
  const first = await listSites(p, signal);
  let page = first;
  for (let i = 1; i < maxPages && first.features.length < first.total && page.features.length > 0; i++) {
    p.set('offset', String(first.features.length));
    page = await listSites(p, signal);
    first.features.push(...page.features);
  }
  return first;
}

export function getTileJSON(layers: string, params: URLSearchParams, signal?: AbortSignal): Promise<TileJSON> {
  const q = params.toString();
  return getJSON<TileJSON>(`/tiles/${layers}.json${q ? `?${q}` : ''}`, signal);
}

export type {FacetParam};

// ——— Underservice analysis (the planners' dashboard) ———

/** The figures of a territory (GET /api/indicators). */
export interface IndicatorValues {
  population: number;
  sites: number;
  sites_per_10k: number;
  mean_minutes: number;
  p90_minutes: number;
  mean_km: number;
  p90_km: number;
  beyond_population: number;
  beyond_share: number;
  access: number;
}

export type RankKey = 'sites_per_10k' | 'mean_minutes' | 'beyond_share' | 'access';

export interface IndicatorItem extends IndicatorValues {
  level: string;
  code: string;
  name: string;
  rank: Partial<Record<RankKey, number>>;
}

/** The parameters the server used, echoed in every analysis answer. */
export interface AnalysisParams {
  threshold_min: number;
  speed_kmh: number;
  circuity: number;
  services?: string[];
  dispositifs?: string[];
}

export interface IndicatorList {
  params: AnalysisParams;
  level: string;
  data_version: number;
  items: IndicatorItem[];
}

export interface HistogramBin {
  from_min: number;
  /** 0 for the last, open bin. */
  to_min: number;
  population: number;
}

export interface CoveragePoint {
  minutes: number;
  population: number;
  share: number;
}

export interface Comparison {
  level: string;
  code: string;
  name: string;
  sites_per_10k: number;
  mean_minutes: number;
  beyond_share: number;
}

export interface TerritoryDetail {
  params: AnalysisParams;
  detail: IndicatorItem & {histogram: HistogramBin[]; coverage: CoveragePoint[]};
  compare: Comparison[];
  counts: {communes: number; epci: number; departements: number; regions?: number};
}

export type Delta = Omit<IndicatorValues, 'population'>;

export interface ScenarioResult {
  id?: number;
  title?: string;
  params: AnalysisParams;
  before: IndicatorItem;
  after: IndicatorItem;
  total: Delta;
  deltas: (Delta & {code: string; name: string})[];
}

export interface SitingProposal {
  rank: number;
  point: [number, number];
  commune: string;
  commune_nom: string;
  newly_covered: number;
  cumulative: number;
  cumulative_share: number;
}

export interface SitingResult {
  params: AnalysisParams;
  k: number;
  min_spacing_km: number;
  covered_before: number;
  population: number;
  method: string;
  proposals: SitingProposal[];
}

/**
 * A territory as the app shows it: named, by its code when the server knows
 * no name (an EPCI or département missing from the names table of a region
 * imported from its communes alone), so that every label and sort works.
 */
export function named<T extends {code: string; name?: string | null}>(t: T): Omit<T, 'name'> & {name: string} {
  return {...t, name: t.name || t.code};
}

export async function getIndicators(level: string, params: URLSearchParams, signal?: AbortSignal): Promise<IndicatorList> {
  const q = new URLSearchParams(params);
  q.set('level', level);
  const r = await getJSON<IndicatorList>(`/api/indicators?${q}`, signal);
  return {...r, items: (r.items ?? []).map(named)};
}

export async function getTerritory(level: string, code: string, params: URLSearchParams, signal?: AbortSignal): Promise<TerritoryDetail> {
  const q = params.toString();
  const r = await getJSON<TerritoryDetail>(`/api/indicators/${encodeURIComponent(level)}/${encodeURIComponent(code)}${q ? `?${q}` : ''}`, signal);
  return {...r, detail: named(r.detail), compare: (r.compare ?? []).map(named)};
}

export async function postScenario(body: Record<string, unknown>, signal?: AbortSignal): Promise<ScenarioResult> {
  const res = await fetch('/api/scenarios', {
    method: 'POST',
    signal,
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await apiError(res);
  const r = (await res.json()) as ScenarioResult;
  return {...r, before: named(r.before), after: named(r.after), deltas: (r.deltas ?? []).map(named)};
}

export function getSiting(params: URLSearchParams, signal?: AbortSignal): Promise<SitingResult> {
  return getJSON<SitingResult>(`/api/siting?${params}`, signal);
}

/** Address of a download or GeoJSON built from parameters. */
export function apiURL(path: string, params: URLSearchParams): string {
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}
