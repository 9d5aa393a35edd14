// The one application store: every piece of state shared between modules
// lives here, and modules react to its changes. Nothing else in the front
// end holds global mutable state.

import type {CommuneInfo, IndicatorItem, RegionInfo, ScenarioResult, SitingResult, TerritoryDetail, TopLevel} from './api.ts';
import {emptyDash, type DashState, type Level} from './dashboard/state.ts';
import {emptyState, type UrlState} from './urlstate.ts';

export type Route = 'carte' | 'tableau-de-bord';

/** A place shown on the map outside the tiles (hovered or selected). */
export interface PlacePoint {
  id: string;
  nom: string;
  lon: number;
  lat: number;
  franceServices: boolean;
}

/** A camera move asked of the map by another module. */
export interface CameraRequest {
  seq: number;
  /** Which map: the public map (default) or the dashboard's. */
  map?: 'carte' | 'tableau';
  bbox?: [number, number, number, number];
  center?: [number, number];
  zoom?: number;
  /** A territory of the tiles to frame (dashboard). */
  territory?: {level: Level; code: string};
}

/** A result fetched for some state of the dashboard: key names the
 * request, so that a module can tell whether it is current. */
export interface Fetched<T> {
  key: string;
  data: T;
}

/** What the dashboard fetched for its URL state. */
export interface Board {
  /** Indicators of every territory of a level. */
  indicators: (Fetched<IndicatorItem[]> & {level: Level}) | null;
  /** The region's indicators for the same parameters. */
  region: Fetched<IndicatorItem> | null;
  /** Portrait of the selected territory (or of the region). */
  detail: Fetched<TerritoryDetail> | null;
  scenario: Fetched<ScenarioResult> | null;
  siting: Fetched<SitingResult> | null;
  /** The top level (the region, or the national total) and the loaded
   * regions, from /api/config. */
  top: TopLevel | null;
  regions: RegionInfo[];
  /** Names and positions of the places removed in the scenario. */
  places: Record<string, {nom: string; lon: number; lat: number}>;
  /** Requests under way, by name. */
  loading: Partial<Record<'indicators' | 'detail' | 'scenario' | 'siting', boolean>>;
  /** Last error, in French. */
  error: string | null;
}

export function emptyBoard(): Board {
  return {indicators: null, region: null, detail: null, scenario: null, siting: null, top: null, regions: [], places: {}, loading: {}, error: null};
}

export interface AppState {
  route: Route;
  /** What the URL holds (shareable). */
  url: UrlState;
  /** What the dashboard's URL holds (shareable). */
  dash: DashState;
  /** What the dashboard fetched. */
  board: Board;
  /** The commune of url.commune, once fetched. */
  commune: CommuneInfo | null;
  /** Where the list is sorted from: commune centre or the user's position. */
  origin: {lon: number; lat: number; label: string} | null;
  /** Place highlighted by the list (hover or focus). */
  hover: PlacePoint | null;
  /** Place whose sheet is open, once fetched. */
  selected: PlacePoint | null;
  camera: CameraRequest | null;
  /** Whether the filters panel is open. */
  filtersOpen: boolean;
  /** Advances every minute, for "ouvert maintenant". */
  minute: number;
  /** Template of the "Itinéraire" links on desktops (/api/config), null
   * until known (OpenStreetMap meanwhile). */
  directions: string | null;
}

/** How a change is recorded in the browser history. */
export type HistoryMode = 'push' | 'replace' | 'none';

export type Listener = (state: AppState, prev: AppState, history: HistoryMode) => void;

export function initialState(route: Route, url: UrlState = emptyState(), dash: DashState = emptyDash()): AppState {
  return {route, url, dash, board: emptyBoard(), commune: null, origin: null, hover: null, selected: null, camera: null, filtersOpen: false, minute: 0, directions: null};
}

export type Patch = Partial<AppState> | ((state: AppState) => Partial<AppState>);

export class Store {
  #state: AppState;
  readonly #listeners = new Set<Listener>();
  readonly #queue: [Patch, HistoryMode][] = [];
  #dispatching = false;

  constructor(state: AppState) {
    this.#state = state;
  }

  get state(): Readonly<AppState> {
    return this.#state;
  }

  /** Applies a change. Listeners run synchronously; a change made by a
   * listener is applied once every listener has seen the current one, so
   * that all of them see the changes in the same order. */
  update(patch: Patch, history: HistoryMode = 'none'): void {
    this.#queue.push([patch, history]);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        const [p, mode] = next;
        const prev = this.#state;
        this.#state = {...prev, ...(typeof p === 'function' ? p(prev) : p)};
        for (const fn of [...this.#listeners]) fn(this.#state, prev, mode);
      }
    } finally {
      this.#dispatching = false;
      this.#queue.length = 0;
    }
  }

  /** Changes the URL part of the state (and possibly other fields). */
  updateUrl(patch: Partial<UrlState>, history: HistoryMode, extra: Partial<AppState> = {}): void {
    this.update((s) => ({...extra, url: {...s.url, ...patch}}), history);
  }

  /** Changes the dashboard's URL state (and possibly other fields). */
  updateDash(patch: Partial<DashState>, history: HistoryMode, extra: Partial<AppState> = {}): void {
    this.update((s) => ({...extra, dash: {...s.dash, ...patch}}), history);
  }

  /** Changes what the dashboard fetched. */
  updateBoard(patch: Partial<Board> | ((b: Board) => Partial<Board>)): void {
    this.update((s) => ({board: {...s.board, ...(typeof patch === 'function' ? patch(s.board) : patch)}}));
  }

  /** Asks the map to move. */
  moveCamera(req: Omit<CameraRequest, 'seq'>): void {
    this.update((s) => ({camera: {...req, seq: (s.camera?.seq ?? 0) + 1}}));
  }

  subscribe(fn: Listener): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }
}
