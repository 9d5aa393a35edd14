// The scenario's answer as the map and the portraits use it: the deltas of
// each level and the white-zone cells it changes, and which answer applies
// to a state (the current one only: undo gives back the figures before).

import type {Feature} from 'geojson';
import type {ScenarioResult} from '../api.ts';
import type {AppState} from '../store.ts';
import {requestKeys} from './loader.ts';
import type {Level} from './state.ts';

export type TerritoryDelta = ScenarioResult['deltas'][number];

/** What POST /api/scenarios answers beyond ScenarioResult: the changes of
 * the EPCI and départements, and of the white-zone cells. */
export interface ScenarioMapResult extends ScenarioResult {
  epci_deltas?: TerritoryDelta[];
  departement_deltas?: TerritoryDelta[];
  /** With several regions loaded. */
  region_deltas?: TerritoryDelta[];
  whitezones?: {remove: string[]; add: Feature[]; population_before: number; population_after: number};
}

/** The deltas of a level in a scenario's answer. */
export function deltasOf(r: ScenarioMapResult, level: Level | 'national'): TerritoryDelta[] {
  if (level === 'commune') return r.deltas;
  if (level === 'epci') return r.epci_deltas ?? [];
  if (level === 'departement') return r.departement_deltas ?? [];
  if (level === 'region') return r.region_deltas ?? [];
  return [];
}

/** The scenario result that applies to a state: the current one, or none
 * (no change, another mode). */
export function currentScenario(s: AppState): {key: string; data: ScenarioMapResult} | null {
  const d = s.dash;
  const b = s.board;
  if (d.mode !== 'scenario' || d.ajouts.length + d.retraits.length === 0 || !b.scenario) return null;
  return b.scenario.key === requestKeys(d).scenario ? (b.scenario as {key: string; data: ScenarioMapResult}) : null;
}
