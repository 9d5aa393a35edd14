// The priority view: the territories of the level ranked by their people
// beyond the threshold weighted by fragility, each row with its inputs
// (people beyond, fragility score, factor, weighted value) so that a
// planner can check the rank. Fetched from GET /api/priorites when shown,
// again whenever the level or the analysis changes.

import {ApiError, apiURL} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatDecimal, formatInt, formatPercent, plural} from '../format.ts';
import type {Store} from '../store.ts';
import {LEVEL_NAMES} from './indicators.ts';
import {priorityParams, type DashState} from './state.ts';

const NBSP = '\u00a0';

/** Rows shown in the table (every row is in the exports). */
export const PRIORITY_ROWS = 20;

/** One row of GET /api/priorites. */
export interface PriorityItem {
  rank: number;
  level: string;
  code: string;
  name: string;
  population: number;
  beyond_population: number;
  fragility: number;
  fragility_coverage: number;
  factor: number;
  weighted_beyond: number;
}

export interface PriorityAnswer {
  level: string;
  total: number;
  fragility_mean: number;
  fragility_communes: number;
  method: string;
  items: PriorityItem[];
}

/** The key of the request a state needs. */
export function priorityKey(d: DashState): string {
  return priorityParams(d, PRIORITY_ROWS).toString();
}

async function fetchPriorities(q: URLSearchParams, signal: AbortSignal): Promise<PriorityAnswer> {
  const res = await fetch(apiURL('/api/priorites', q), {signal, headers: {Accept: 'application/json'}});
  if (!res.ok) {
    let msg = `erreur ${res.status}`;
    try {
      msg = ((await res.json()) as {error?: string}).error ?? msg;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(msg, res.status);
  }
  return (await res.json()) as PriorityAnswer;
}

/** The table of the first rows, with their inputs. */
export function priorityTable(a: PriorityAnswer, seuil: number, levelName: {one: string; many: string}): HTMLElement {
  const th = (text: string, title?: string) => h('th', {scope: 'col', ...(title ? {title} : {})}, text);
  const table = h(
    'table',
    {id: 'tdb-priorites-table'},
    h('caption', {}, `Les ${a.items.length} ${levelName.many} prioritaires sur ${formatInt(a.total)} : habitants à plus de ${formatDecimal(seuil, 0)}${NBSP}min pondérés par la fragilité`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        th('Rang'),
        th(levelName.one[0]!.toUpperCase() + levelName.one.slice(1)),
        th(`Habitants au-delà de ${formatDecimal(seuil, 0)}${NBSP}min`),
        th('Score de fragilité', 'Moyenne des scores des communes, pondérée par leur population'),
        th('Facteur', 'Score ÷ score moyen de la région ; 1 sans score'),
        th('Valeur pondérée', 'Habitants au-delà du seuil × facteur, commune par commune'),
      ),
    ),
    h(
      'tbody',
      {},
      a.items.map((it) =>
        h(
          'tr',
          {'data-code': it.code, 'data-rang': String(it.rank)},
          h('td', {}, String(it.rank)),
          h('th', {scope: 'row'}, h('button', {type: 'button', class: 'fr-link tdb-lien-territoire', 'data-code': it.code}, it.name || it.code)),
          h('td', {'data-valeur': String(it.beyond_population)}, formatInt(it.beyond_population)),
          h(
            'td',
            {'data-valeur': String(it.fragility)},
            it.fragility > 0 ? formatDecimal(it.fragility, 1) : 'inconnu',
            it.fragility > 0 && it.fragility_coverage < 0.999 ? h('span', {class: 'tdb-note'}, ` (${formatPercent(it.fragility_coverage)} des habitants)`) : null,
          ),
          h('td', {'data-valeur': String(it.factor)}, `×${NBSP}${formatDecimal(it.factor, 2)}`),
          h('td', {'data-valeur': String(it.weighted_beyond)}, formatInt(Math.round(it.weighted_beyond))),
        ),
      ),
    ),
  );
  return h('div', {class: 'tdb-table tdb-classement tdb-priorites__table'}, table);
}

export class PriorityPanel {
  readonly #store: Store;
  readonly #root: HTMLElement;
  readonly #body: HTMLElement;
  readonly #toggle: HTMLButtonElement;
  #key: string | null = null;
  #abort: AbortController | null = null;

  constructor(store: Store, root: HTMLElement, onPick: (code: string) => void) {
    this.#store = store;
    this.#root = root;
    this.#toggle = h(
      'button',
      {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary', id: 'tdb-priorites-bouton', 'aria-controls': 'tdb-priorites-corps', 'aria-expanded': 'false'},
      'Afficher le classement',
    ) as HTMLButtonElement;
    this.#body = h('div', {id: 'tdb-priorites-corps', 'aria-live': 'polite'});
    replaceChildren(
      root,
      h('h2', {class: 'tdb-section__titre', id: 'tdb-priorites-titre'}, 'Territoires prioritaires'),
      h(
        'p',
        {class: 'tdb-note'},
        'Classement par habitants au-delà du seuil, pondérés par la fragilité numérique de leur commune (score importé, par exemple l’indice de La MedNum). Les données de chaque ligne sont affichées ; tout le classement est dans les exports.',
      ),
      this.#toggle,
      this.#body,
    );
    this.#toggle.addEventListener('click', () => store.updateDash({priorites: !store.state.dash.priorites}, 'push'));
    this.#body.addEventListener('click', (e) => {
      const btn = (e.target as Element).closest<HTMLButtonElement>('button[data-code]');
      if (btn) onPick(btn.dataset['code']!);
    });
    store.subscribe((s, prev) => {
      if (s.route !== 'tableau-de-bord') return;
      if (s.dash !== prev.dash) this.#run(s.dash);
    });
    this.#run(store.state.dash);
  }

  #run(d: DashState): void {
    this.#toggle.setAttribute('aria-expanded', String(d.priorites));
    this.#toggle.textContent = d.priorites ? 'Masquer le classement' : 'Afficher le classement';
    this.#body.hidden = !d.priorites;
    if (!d.priorites) {
      this.#abort?.abort();
      this.#key = null;
      this.#root.dataset['etat'] = 'masque';
      return;
    }
    const key = priorityKey(d);
    if (key === this.#key) return;
    this.#key = key;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.#root.dataset['etat'] = 'chargement';
    const level = d.niveau;
    const seuil = d.params.seuil;
    fetchPriorities(priorityParams(d, PRIORITY_ROWS), abort.signal)
      .then((a) => {
        if (abort.signal.aborted) return;
        const names = LEVEL_NAMES[level];
        const note =
          a.fragility_communes > 0
            ? `Score moyen ${this.#store.state.board.top?.level === 'national' ? 'des régions chargées' : 'de la région'} (pondéré par la population) : ${formatDecimal(a.fragility_mean, 2)}, ${plural(a.fragility_communes, 'commune', 'communes')} avec un score.`
            : 'Aucun score de fragilité importé (cartonum import-fragility) : le facteur vaut 1 partout et le classement suit les habitants au-delà du seuil.';
        replaceChildren(this.#body, priorityTable(a, seuil, names), h('p', {class: 'tdb-note', id: 'tdb-priorites-note'}, note), h('p', {class: 'tdb-note'}, a.method));
        this.#root.dataset['etat'] = 'pret';
        this.#root.dataset['cle'] = key;
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted || (err as Error).name === 'AbortError') return;
        this.#key = null;
        replaceChildren(this.#body, h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, `Classement indisponible : ${(err as Error).message}`)));
        this.#root.dataset['etat'] = 'erreur';
      });
  }
}
