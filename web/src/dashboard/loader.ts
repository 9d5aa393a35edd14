// Fetches what the dashboard shows whenever its URL state changes: the
// indicators of the level and of the top level (the region, or the
// national total when several regions are loaded), the selected territory's
// portrait, the scenario and the siting proposals. Each result goes to the
// store with the key of its request; a request superseded by a newer state
// is aborted.

import {
  ApiError,
  getConfig,
  getIndicators,
  getPlace,
  getSiting,
  getTerritory,
  postScenario,
  type TopLevel,
} from '../api.ts';
import type {Board, Store} from '../store.ts';
import type {Edge, EdgeInfo} from './edge.ts';
import {apiParams, scenarioBody, sitingParams, type DashState} from './state.ts';

type Slot = 'indicators' | 'detail' | 'scenario' | 'siting';

/** Keys of the requests a state needs (null: nothing to fetch). */
export function requestKeys(s: DashState): Record<Slot, string | null> & {region: string} {
  const p = apiParams(s.params).toString();
  const changes = s.ajouts.length + s.retraits.length > 0;
  return {
    indicators: `${s.niveau}?${p}`,
    region: `region?${p}`,
    detail: s.territoire ? `${s.niveau}/${s.territoire}?${p}` : `region?${p}`,
    scenario: s.mode === 'scenario' && changes ? JSON.stringify(scenarioBody(s)) : null,
    siting: s.mode === 'implantation' ? sitingParams(s).toString() : null,
  };
}

function isAbort(err: unknown): boolean {
  return (err as Error).name === 'AbortError';
}

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : `le serveur ne répond pas (${(err as Error).message})`;
}

export class DashboardLoader {
  readonly #store: Store;
  readonly #aborts = new Map<string, AbortController>();
  readonly #keys = new Map<string, string>();
  #top: Promise<TopLevel> | null = null;
  #scenarioTimer = 0;
  readonly #edge: EdgeInfo | null;

  constructor(store: Store, edge: EdgeInfo | null = null) {
    this.#store = store;
    this.#edge = edge;
    store.subscribe((s, prev) => {
      if (s.route !== 'tableau-de-bord') return;
      if (s.dash !== prev.dash || s.route !== prev.route) this.run();
    });
  }

  /** Starts the requests the current state needs and has not made. */
  run(): void {
    const s = this.#store.state.dash;
    const keys = requestKeys(s);
    const params = apiParams(s.params);

    this.#once('indicators', keys.indicators, (signal) =>
      getIndicators(s.niveau, params, signal).then((r) => ({indicators: {key: keys.indicators!, level: s.niveau, data: r.items}})),
    );
    this.#once('region', keys.region, async () => {
      // Not aborted (a few hundred bytes): the figures of the top level.
      const top = await this.#topLevel();
      const r = await getIndicators(top.level, params);
      // The edge of the loaded regions: places beyond it counted,
      // uncertain distance.
      const edge = (r as {edge?: Edge}).edge;
      this.#edge?.setEdge(edge && top.level === 'national' ? {...edge, several: true} : edge);
      return {region: {key: keys.region, data: r.items[0]!}};
    });
    const territoire = s.territoire;
    const level = s.niveau;
    this.#once('detail', keys.detail, async (signal) => {
      const top = territoire ? null : await this.#topLevel();
      const d = await getTerritory(top ? top.level : level, top ? top.code : territoire!, params, signal);
      return {detail: {key: keys.detail!, data: d}};
    });

    // The scenario: a short pause lets quick clicks make one request.
    if (keys.scenario === null) {
      window.clearTimeout(this.#scenarioTimer);
      this.#cancel('scenario');
      const b = this.#store.state.board;
      if (b.scenario || b.loading.scenario) this.#store.updateBoard({scenario: null, loading: {...b.loading, scenario: false}});
    } else if (keys.scenario !== this.#keys.get('scenario')) {
      window.clearTimeout(this.#scenarioTimer);
      const key = keys.scenario;
      const body = scenarioBody(s);
      this.#store.updateBoard((b) => ({loading: {...b.loading, scenario: true}}));
      this.#scenarioTimer = window.setTimeout(() => {
        this.#once('scenario', key, (signal) => postScenario(body, signal).then((r) => ({scenario: {key, data: r}})));
      }, 150);
    }
    this.#placesInfo(s.retraits);

    if (keys.siting === null) this.#cancel('siting');
    else {
      const key = keys.siting;
      const q = sitingParams(s);
      this.#once('siting', key, (signal) => getSiting(q, signal).then((r) => ({siting: {key, data: r}})));
    }
  }

  /** The top level of the dashboard and the loaded regions, asked once
   * (/api/config; a server without them has one region). */
  #topLevel(): Promise<TopLevel> {
    if (!this.#top) {
      const p = getConfig().then(async (c) => {
        const top: TopLevel = c.top ?? {level: 'region', code: (await getIndicators('region', new URLSearchParams())).items[0]!.code, name: 'Région'};
        this.#store.updateBoard({top, regions: c.regions ?? []});
        return top;
      });
      this.#top = p;
      p.catch(() => (this.#top = null));
    }
    return this.#top;
  }

  #cancel(slot: string): void {
    this.#aborts.get(slot)?.abort();
    this.#aborts.delete(slot);
    this.#keys.delete(slot);
  }

  /** Runs fetch for slot unless the same key was already asked for. */
  #once(slot: string, key: string | null, fetcher: (signal: AbortSignal) => Promise<Partial<Board>>): void {
    if (key === null || this.#keys.get(slot) === key) return;
    this.#aborts.get(slot)?.abort();
    const abort = new AbortController();
    this.#aborts.set(slot, abort);
    this.#keys.set(slot, key);
    const loadingSlot = slot === 'region' ? null : (slot as Slot);
    this.#store.updateBoard((b) => ({loading: loadingSlot ? {...b.loading, [loadingSlot]: true} : b.loading}));
    fetcher(abort.signal)
      .then((patch) => {
        if (abort.signal.aborted) return;
        this.#store.updateBoard((b) => ({...patch, error: null, loading: loadingSlot ? {...b.loading, [loadingSlot]: false} : b.loading}));
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted || isAbort(err)) return;
        // Allow a retry of the same request after an error.
        this.#keys.delete(slot);
        this.#store.updateBoard((b) => ({error: message(err), loading: loadingSlot ? {...b.loading, [loadingSlot]: false} : b.loading}));
      });
  }

  /** Names and positions of removed places not yet known (a shared link). */
  #placesInfo(ids: string[]): void {
    const known = this.#store.state.board.places;
    for (const id of ids) {
      if (known[id] || this.#keys.has(`lieu:${id}`)) continue;
      this.#keys.set(`lieu:${id}`, id);
      getPlace(id)
        .then((f) => {
          const [lon, lat] = f.geometry.coordinates;
          this.#store.updateBoard((b) => ({places: {...b.places, [id]: {nom: f.properties.nom, lon, lat}}}));
        })
        .catch(() => {
          // An unknown place: the scenario request reports it.
        });
    }
  }
}
