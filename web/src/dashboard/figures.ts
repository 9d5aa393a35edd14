// Key figures of a territory, as a description list: people beyond the
// threshold, travel times, places, accessibility, each with its rank among
// the territories of its level when there is one.

import type {IndicatorItem, IndicatorValues, RankKey} from '../api.ts';
import type {DashValues} from './indicators.ts';
import {h} from '../dom.ts';
import {formatDecimal, formatInt, formatMinutes, formatPercent, formatRank, plural} from '../format.ts';

const NBSP = '\u00a0';

export interface FigureRow {
  /** The API field, also set as data-mesure for tests and styles. */
  field: string;
  label: string;
  value: string;
  raw: number;
  detail?: string;
  rank?: string;
  /** The value with a scenario, when one applies. */
  after?: string;
  afterRaw?: number;
}

/** The figures of a territory; ranks need the count of territories of its
 * level and the plural name of the level ("EPCI", "communes"). */
export function figureRows(item: IndicatorItem, seuil: number, ranks?: {total: number; unit: string}, after?: IndicatorValues): FigureRow[] {
  const rows = figureRowsBefore(item, seuil, ranks);
  if (!after) return rows;
  const fmt: Record<string, (v: number) => string> = {
    beyond_population: formatInt,
    mean_minutes: (v) => formatMinutes(v),
    p90_minutes: (v) => formatMinutes(v),
    sites: formatInt,
    access: (v) => formatDecimal(v, 2),
  };
  for (const r of rows) {
    const v = after[r.field as keyof IndicatorValues];
    if (typeof v !== 'number' || !fmt[r.field]) continue;
    r.afterRaw = v;
    r.after = fmt[r.field]!(v);
  }
  return rows;
}

function figureRowsBefore(item: IndicatorItem, seuil: number, ranks?: {total: number; unit: string}): FigureRow[] {
  const rank = (k: RankKey) => {
    const r = item.rank?.[k];
    return ranks && r ? formatRank(r, ranks.total, ranks.unit) : undefined;
  };
  return [
    {
      field: 'beyond_population',
      label: `Habitants à plus de ${formatDecimal(seuil, 0)}${NBSP}min d’un lieu`,
      value: formatInt(item.beyond_population),
      raw: item.beyond_population,
      detail: `${formatPercent(item.beyond_share)} de la population`,
      rank: rank('beyond_share'),
    },
    {
      field: 'mean_minutes',
      label: 'Temps moyen jusqu’au lieu le plus proche',
      value: formatMinutes(item.mean_minutes),
      raw: item.mean_minutes,
      detail: `${formatDecimal(item.mean_km, 1)}${NBSP}km en moyenne`,
      rank: rank('mean_minutes'),
    },
    {
      field: 'p90_minutes',
      label: 'Temps des 10 % les plus éloignés',
      value: formatMinutes(item.p90_minutes),
      raw: item.p90_minutes,
      detail: `90e centile, ${formatDecimal(item.p90_km, 1)}${NBSP}km`,
    },
    {
      field: 'sites',
      label: 'Lieux dans le territoire',
      value: formatInt(item.sites),
      raw: item.sites,
      detail: `${formatDecimal(item.sites_per_10k, 2)} pour 10${NBSP}000 habitants`,
      rank: rank('sites_per_10k'),
    },
    {
      field: 'access',
      label: 'Accessibilité E2SFCA',
      value: formatDecimal(item.access, 2),
      raw: item.access,
      detail: 'lieux pour 10 000 habitants à portée',
      rank: rank('access'),
    },
    ...fragilityRow(item),
  ];
}

/** The territory's fragility score, when its communes have one. */
function fragilityRow(item: DashValues): FigureRow[] {
  const v = item.fragility ?? 0;
  if (!(v > 0)) return [];
  return [{field: 'fragility', label: 'Indice de fragilité numérique', value: formatDecimal(v, 1), raw: v, detail: 'score importé, moyenne des communes pondérée par la population'}];
}

export function figuresList(rows: FigureRow[], className = 'tdb-chiffres'): HTMLElement {
  return h(
    'dl',
    {class: className},
    rows.map((r) =>
      h(
        'div',
        {class: 'tdb-chiffre', 'data-mesure': r.field},
        h('dt', {}, r.label),
        h(
          'dd',
          {class: 'tdb-chiffre__valeur', 'data-valeur': String(r.raw)},
          r.after === undefined
            ? r.value
            : [
                h('span', {class: 'tdb-chiffre__avant'}, h('span', {class: 'fr-sr-only'}, 'Avant : '), r.value),
                h('span', {'aria-hidden': 'true'}, ' → '),
                h('span', {class: 'tdb-chiffre__apres', 'data-valeur': String(r.afterRaw)}, h('span', {class: 'fr-sr-only'}, ', après : '), r.after),
              ],
        ),
        r.detail ? h('dd', {class: 'tdb-chiffre__detail'}, r.detail) : null,
        r.rank ? h('dd', {class: 'tdb-chiffre__rang'}, h('span', {class: 'fr-sr-only'}, 'Rang : '), r.rank) : null,
      ),
    ),
  );
}

/** "23 211 habitants · 0 lieu". */
export function populationLine(item: IndicatorItem): string {
  return `${plural(Math.round(item.population), 'habitant', 'habitants')} · ${plural(item.sites, 'lieu', 'lieux')}`;
}
