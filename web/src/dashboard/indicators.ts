// The indicators the dashboard maps: their names, the API field holding
// them, their rank, how to print them and how to class them.
//
// Pure: no DOM.

import type {IndicatorItem, IndicatorValues, RankKey} from '../api.ts';
import {formatDecimal, formatMinutes, formatPercent} from '../format.ts';
import {COOL, WARM, minutesScale, quantileScale, shareScale, type Scale} from './legend.ts';
import type {IndicatorKey, Level} from './state.ts';

/** The figures of a territory the dashboard reads: the API's, with the
 * fragility score (0 when unknown) the server adds to every level. */
export type DashValues = IndicatorValues & {fragility?: number};

export interface IndicatorDef {
  key: IndicatorKey;
  /** Name in a list of choices. */
  label: string;
  /** Title of the legend (the threshold is known only at run time). */
  title: (seuil: number) => string;
  field: keyof IndicatorValues | 'fragility';
  rank: RankKey | null;
  /** Whether a low value is the better one. */
  lowIsBetter: boolean;
  format: (v: number) => string;
  scale: (values: number[]) => Scale;
}

const NBSP = '\u00a0';

export const INDICATORS: Record<IndicatorKey, IndicatorDef> = {
  temps_moyen: {
    key: 'temps_moyen',
    label: 'Temps moyen jusqu’au lieu le plus proche',
    title: () => `Temps moyen jusqu’au lieu le plus proche`,
    field: 'mean_minutes',
    rank: 'mean_minutes',
    lowIsBetter: true,
    format: (v) => formatMinutes(v),
    scale: () => minutesScale(WARM),
  },
  temps_p90: {
    key: 'temps_p90',
    label: 'Temps des 10 % les plus éloignés (90e centile)',
    title: () => `Temps du 90e centile (10${NBSP}% des habitants sont plus loin)`,
    field: 'p90_minutes',
    rank: null,
    lowIsBetter: true,
    format: (v) => formatMinutes(v),
    scale: () => minutesScale(WARM),
  },
  zone_blanche: {
    key: 'zone_blanche',
    label: 'Part de la population en zone blanche',
    title: (seuil) => `Part de la population à plus de ${formatDecimal(seuil, 0)}${NBSP}min (zone blanche)`,
    field: 'beyond_share',
    rank: 'beyond_share',
    lowIsBetter: true,
    format: (v) => formatPercent(v),
    scale: () => shareScale(WARM),
  },
  lieux_10000: {
    key: 'lieux_10000',
    label: 'Lieux pour 10 000 habitants',
    title: () => `Lieux pour 10${NBSP}000 habitants`,
    field: 'sites_per_10k',
    rank: 'sites_per_10k',
    lowIsBetter: false,
    format: (v) => formatDecimal(v, 2),
    scale: (values) => quantileScale(values, {palette: COOL, zeroLabel: 'aucun lieu'}),
  },
  accessibilite: {
    key: 'accessibilite',
    label: 'Accessibilité E2SFCA',
    title: () => 'Accessibilité E2SFCA (lieux pour 10 000 habitants à portée)',
    field: 'access',
    rank: 'access',
    lowIsBetter: false,
    format: (v) => formatDecimal(v, 2),
    scale: (values) => quantileScale(values, {palette: COOL, zeroLabel: 'aucun lieu à portée'}),
  },
  fragilite: {
    key: 'fragilite',
    label: 'Indice de fragilité numérique',
    title: () => 'Indice de fragilité numérique (score importé, plus haut : plus fragile)',
    field: 'fragility',
    rank: null,
    lowIsBetter: true,
    format: (v) => (v > 0 ? formatDecimal(v, 1) : 'score inconnu'),
    scale: (values) => quantileScale(values, {palette: WARM, zeroLabel: 'score inconnu'}),
  },
};

export const LEVEL_NAMES: Record<Level, {one: string; many: string; the: string}> = {
  commune: {one: 'commune', many: 'communes', the: 'la commune'},
  epci: {one: 'EPCI', many: 'EPCI', the: 'l’EPCI'},
  departement: {one: 'département', many: 'départements', the: 'le département'},
  region: {one: 'région', many: 'régions', the: 'la région'},
};

/** The value of an indicator for a territory. */
export function valueOf(item: DashValues, key: IndicatorKey): number {
  return item[INDICATORS[key].field] ?? 0;
}

/** Territories from the worst served to the best for an indicator. */
export function worstFirst(items: IndicatorItem[], key: IndicatorKey): IndicatorItem[] {
  const d = INDICATORS[key];
  const sign = d.lowIsBetter ? -1 : 1;
  return [...items].sort((a, b) => sign * (valueOf(a, key) - valueOf(b, key)) || b.population - a.population || a.name.localeCompare(b.name, 'fr'));
}
