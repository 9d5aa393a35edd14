// What the dashboard knows of the region's edge and of the white-zone
// cells drawn: the places of neighbouring regions counted as supply
// (GET /api/indicators answers them as "edge"), and how many white cells
// are uncertain because no data exists beyond the edge. The loader and the
// map write it, the legend and the portraits read it.

import {formatDecimal, plural} from '../format.ts';

/** The API's "edge" object (internal/httpapi/exports.go supplyEdge). */
export interface Edge {
  places_outside_region: number;
  margin_km: number;
  reach_km: number;
  uncertain_within_km: number;
  /** Set by the dashboard when several regions are loaded: the edge is
   * that of their union. */
  several?: boolean;
}

/** The white-zone cells drawn: all, uncertain, and whether a scenario
 * changed them. */
export interface ZonesDrawn {
  cells: number;
  uncertain: number;
  scenario: boolean;
}

type Listener = () => void;

export class EdgeInfo {
  edge: Edge | null = null;
  zones: ZonesDrawn | null = null;
  readonly #listeners: Listener[] = [];

  subscribe(fn: Listener): void {
    this.#listeners.push(fn);
  }

  setEdge(e: Edge | null | undefined): void {
    if (!e || (this.edge && JSON.stringify(this.edge) === JSON.stringify(e))) return;
    this.edge = e;
    for (const fn of this.#listeners) fn();
  }

  setZones(z: ZonesDrawn | null): void {
    if (JSON.stringify(z) === JSON.stringify(this.zones)) return;
    this.zones = z;
    for (const fn of this.#listeners) fn();
  }
}

/** "290 lieux hors région à moins de 30 km pris en compte", or what the
 * absence of such places means. */
export function outsideText(e: Edge): string {
  if (e.places_outside_region === 0) {
    return e.several
      ? 'Aucun lieu hors des régions chargées pris en compte : près de leur limite, l’offre voisine est ignorée.'
      : 'Aucun lieu hors région pris en compte : près de la limite de la région, l’offre voisine est ignorée.';
  }
  const km = Math.max(1, Math.ceil(e.margin_km));
  const out = e.several ? ['lieu hors des régions chargées', 'lieux hors des régions chargées'] : ['lieu hors région', 'lieux hors région'];
  return `${plural(e.places_outside_region, out[0]!, out[1]!)} à moins de ${km}${'\u00a0'}km pris en compte.`;
}

/** The legend's note on uncertain white cells. */
export function uncertainText(e: Edge): string {
  return `Zone blanche incertaine : à moins de ${formatDecimal(e.uncertain_within_km, 1)}${'\u00a0'}km de la limite ${e.several ? 'des régions chargées' : 'de la région'}, un lieu au-delà des données (plus loin que les lieux voisins connus, ou à l’étranger) pourrait être plus proche.`;
}
