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

/** The summary of a place returned by /api/sites. */
export interface PlaceSummary {
  id: string;
  nom: string;
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
  distance_m?: number;
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

async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, {signal, headers: {Accept: 'application/json'}});
  if (!res.ok) {
    let msg = `erreur ${res.status}`;
    try {
      const body = (await res.json()) as {error?: string};
      if (body.error) msg = body.error;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(msg, res.status);
  }
  return (await res.json()) as T;
}

export function searchCommunes(q: string, signal?: AbortSignal): Promise<SearchResult[]> {
  const p = new URLSearchParams({q, limit: '8'});
  return getJSON<{results: SearchResult[]}>(`/api/search?${p}`, signal).then((r) => r.results);
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
