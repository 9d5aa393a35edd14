// The siting mode: how many new places and how far apart, then the
// proposals of the server (maximal covering, greedy), numbered on the map
// and listed with the inhabitants each newly covers and the cumulative
// coverage. They can be tried at once as a scenario.

import {announce, h, replaceChildren} from '../dom.ts';
import {formatDecimal, formatInt, formatPercent, plural} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {requestKeys} from './loader.ts';
import {BOUNDS, inBounds, type Addition, type Candidates} from './state.ts';

const NBSP = '\u00a0';

export class SitingPanel {
  readonly #store: Store;
  readonly #root: HTMLElement;
  readonly #form: HTMLFormElement;
  readonly #results: HTMLElement;
  readonly #live: HTMLElement;

  constructor(store: Store, root: HTMLElement) {
    this.#store = store;
    this.#root = root;
    this.#results = h('div', {class: 'tdb-resultats', id: 'tdb-implantation-resultats'});
    this.#live = h('p', {class: 'fr-sr-only', 'aria-live': 'polite'});
    this.#form = h(
      'form',
      {class: 'tdb-formulaire tdb-implantation__formulaire', id: 'tdb-implantation-formulaire', novalidate: true},
      h(
        'div',
        {class: 'tdb-modele__champs'},
        h(
          'div',
          {class: 'fr-input-group', id: 'tdb-k-groupe'},
          h('label', {class: 'fr-label', for: 'tdb-k'}, 'Nombre de lieux', h('span', {class: 'fr-hint-text'}, `de 1 à ${BOUNDS.k.max}`)),
          h('input', {class: 'fr-input', id: 'tdb-k', name: 'k', type: 'number', min: 1, max: BOUNDS.k.max, step: 1, required: true, 'aria-describedby': 'tdb-k-erreur'}),
          h('p', {class: 'fr-error-text', id: 'tdb-k-erreur', hidden: true}),
        ),
        h(
          'div',
          {class: 'fr-input-group', id: 'tdb-espacement-groupe'},
          h('label', {class: 'fr-label', for: 'tdb-espacement'}, 'Espacement minimal', h('span', {class: 'fr-hint-text'}, 'km entre deux propositions')),
          h('input', {class: 'fr-input', id: 'tdb-espacement', name: 'espacement', type: 'number', min: 0, max: BOUNDS.espacement.max, step: 0.5, 'aria-describedby': 'tdb-espacement-erreur'}),
          h('p', {class: 'fr-error-text', id: 'tdb-espacement-erreur', hidden: true}),
        ),
      ),
      h(
        'div',
        {class: 'fr-select-group'},
        h('label', {class: 'fr-label', for: 'tdb-candidats'}, 'Emplacements possibles'),
        h(
          'select',
          {class: 'fr-select', id: 'tdb-candidats', name: 'candidats'},
          h('option', {value: 'grille'}, 'Tout point habité (grille de 1 km)'),
          h('option', {value: 'communes'}, 'Centres des communes'),
        ),
      ),
      h('button', {type: 'submit', class: 'fr-btn fr-btn--sm'}, 'Proposer des implantations'),
    );
    replaceChildren(
      root,
      h('h2', {class: 'tdb-section__titre', id: 'tdb-implantation-titre'}, 'Propositions d’implantation'),
      h(
        'p',
        {class: 'tdb-aide'},
        'Où ouvrir de nouveaux lieux pour couvrir le plus d’habitants au-delà du seuil ? Les lieux existants sont conservés ; chaque proposition couvre le plus possible d’habitants non encore couverts.',
      ),
      this.#form,
      this.#results,
      this.#live,
    );
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#apply();
    });
    root.addEventListener('click', (e) => {
      const btn = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (!btn) return;
      const s = store.state;
      const props = s.board.siting?.data.proposals ?? [];
      if (btn.dataset['action'] === 'voir') {
        const p = props.find((x) => x.rank === Number(btn.dataset['rang']));
        if (p) store.moveCamera({map: 'tableau', center: p.point, zoom: 11});
      } else if (btn.dataset['action'] === 'scenario') {
        const adds: Addition[] = props.map((p) => ({lon: Math.round(p.point[0] * 1e5) / 1e5, lat: Math.round(p.point[1] * 1e5) / 1e5, service: 'analyse', dispositif: 'analyse'}));
        store.updateDash({mode: 'scenario', ajouts: [...s.dash.ajouts, ...adds]}, 'push');
        document.getElementById('tdb-scenario-titre')?.setAttribute('tabindex', '-1');
        document.getElementById('tdb-scenario-titre')?.focus();
      }
    });
    store.subscribe((s, prev) => {
      if (s.dash.k !== prev.dash.k || s.dash.espacement !== prev.dash.espacement || s.dash.candidats !== prev.dash.candidats) this.#syncForm(s);
      if (s.dash.mode === 'implantation' && (s.board.siting !== prev.board.siting || s.board.loading.siting !== prev.board.loading.siting || s.dash !== prev.dash)) this.#render(s);
    });
    this.#syncForm(store.state);
    this.#render(store.state);
  }

  #apply(): void {
    const k = inBounds(Number((this.#form.elements.namedItem('k') as HTMLInputElement).value), BOUNDS.k);
    const rawSp = (this.#form.elements.namedItem('espacement') as HTMLInputElement).value.replace(',', '.').trim();
    const espacement = inBounds(rawSp === '' ? 0 : Number(rawSp), BOUNDS.espacement);
    const candidats = (this.#form.elements.namedItem('candidats') as HTMLSelectElement).value as Candidates;
    this.#error('tdb-k', k === null || !Number.isInteger(k) ? `Un nombre entier de 1 à ${BOUNDS.k.max}.` : '');
    this.#error('tdb-espacement', espacement === null ? `Un nombre de kilomètres de 0 à ${BOUNDS.espacement.max}.` : '');
    if (k === null || !Number.isInteger(k) || espacement === null) return;
    this.#store.updateDash({k, espacement, candidats, mode: 'implantation'}, 'push');
  }

  #error(id: string, msg: string): void {
    const group = this.#form.querySelector(`#${id}-groupe`)!;
    const input = this.#form.querySelector<HTMLInputElement>(`#${id}`)!;
    const p = this.#form.querySelector<HTMLElement>(`#${id}-erreur`)!;
    group.classList.toggle('fr-input-group--error', Boolean(msg));
    input.classList.toggle('fr-input--error', Boolean(msg));
    if (msg) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    p.hidden = !msg;
    p.textContent = msg;
  }

  #syncForm(s: AppState): void {
    (this.#form.elements.namedItem('k') as HTMLInputElement).value = String(s.dash.k);
    (this.#form.elements.namedItem('espacement') as HTMLInputElement).value = String(s.dash.espacement);
    (this.#form.elements.namedItem('candidats') as HTMLSelectElement).value = s.dash.candidats;
  }

  #render(s: AppState): void {
    const root = this.#results;
    const wanted = requestKeys(s.dash).siting;
    const cur = s.board.siting;
    if (!cur || cur.key !== wanted) {
      root.setAttribute('aria-busy', 'true');
      root.dataset['etat'] = 'calcul';
      if (!cur) replaceChildren(root, h('p', {class: 'tdb-note'}, 'Calcul des propositions…'));
      return;
    }
    if (root.dataset['cle'] === cur.key && root.dataset['etat'] === 'pret') return;
    root.removeAttribute('aria-busy');
    const r = cur.data;
    const seuil = formatDecimal(r.params.threshold_min, 0);
    const before = r.population > 0 ? r.covered_before / r.population : 0;
    const last = r.proposals.at(-1);
    const summary = last
      ? `Aujourd’hui, ${formatPercent(before)} des habitants sont à moins de ${seuil}${NBSP}min d’un lieu. Avec ${plural(r.proposals.length, 'lieu', 'lieux')} de plus : ${formatPercent(last.cumulative_share)} (+${formatInt(last.cumulative)} habitants).`
      : `Aucune proposition : tous les habitants sont déjà à moins de ${seuil}${NBSP}min d’un lieu, ou aucun emplacement n’en couvre davantage.`;
    replaceChildren(
      root,
      h('p', {class: 'tdb-resume', id: 'tdb-implantation-resume'}, summary),
      r.proposals.length
        ? h(
            'ol',
            {class: 'tdb-propositions', id: 'tdb-propositions'},
            r.proposals.map((p) =>
              h(
                'li',
                {class: 'tdb-proposition', 'data-rang': p.rank},
                h('span', {class: 'tdb-proposition__rang', 'aria-hidden': 'true'}, String(p.rank)),
                h(
                  'div',
                  {},
                  h('p', {class: 'tdb-proposition__nom'}, h('span', {class: 'fr-sr-only'}, `Proposition ${p.rank} : `), p.commune_nom || p.commune),
                  h('p', {class: 'tdb-proposition__chiffres'}, `+${formatInt(p.newly_covered)} habitants couverts · cumul ${formatPercent(p.cumulative_share)} de la population`),
                ),
                h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary-no-outline', 'data-action': 'voir', 'data-rang': p.rank, 'aria-label': `Voir la proposition ${p.rank} (${p.commune_nom}) sur la carte`}, 'Voir'),
              ),
            ),
          )
        : null,
      r.proposals.length ? h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary', 'data-action': 'scenario'}, 'Tester ces propositions dans un scénario') : null,
      h('p', {class: 'tdb-note'}, r.method),
    );
    root.dataset['etat'] = 'pret';
    root.dataset['cle'] = cur.key;
    announce(this.#live, summary);
  }
}
