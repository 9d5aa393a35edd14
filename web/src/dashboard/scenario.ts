// The what-if mode: the kind of place to add, the changes made on the map
// (each can be undone), the region's figures before and after, and the
// communes that gain the most. Results are announced to screen readers.

import {ApiError, postScenario, type ScenarioResult} from '../api.ts';
import {announce, h, replaceChildren} from '../dom.ts';
import {formatDecimal, formatInt, formatMinutes, formatPercent, formatSigned, plural} from '../format.ts';
import type {AppState, Store} from '../store.ts';
import {requestKeys} from './loader.ts';
import {DISPOSITIFS, SERVICES, scenarioBody, type Addition} from './state.ts';

const NBSP = '\u00a0';
const BEST = 10;

function additionLabel(a: Addition, i: number): string {
  const what = a.service === 'analyse' ? 'du type analysé' : a.service === 'tous' ? 'tous services' : a.service;
  const disp = a.dispositif === 'analyse' || a.dispositif === 'aucun' ? '' : `, ${a.dispositif}`;
  return `Lieu ajouté n°${i + 1} (${what}${disp}) — ${formatDecimal(a.lat, 4)}${NBSP}N, ${formatDecimal(a.lon, 4)}${NBSP}E`;
}

interface Row {
  label: string;
  field: keyof ScenarioResult['total'];
  fmt: (v: number) => string;
  delta: (v: number) => string;
}

const ROWS: Row[] = [
  {label: 'Habitants au-delà du seuil', field: 'beyond_population', fmt: formatInt, delta: (v) => formatSigned(v)},
  {label: 'Part au-delà du seuil', field: 'beyond_share', fmt: (v) => formatPercent(v, 2), delta: (v) => `${formatSigned(v * 100, 2)}${NBSP}pt`},
  {label: 'Temps moyen', field: 'mean_minutes', fmt: (v) => formatMinutes(v, 2), delta: (v) => `${formatSigned(v, 2)}${NBSP}min`},
  {label: 'Temps du 90e centile', field: 'p90_minutes', fmt: (v) => formatMinutes(v, 2), delta: (v) => `${formatSigned(v, 2)}${NBSP}min`},
  {label: 'Lieux', field: 'sites', fmt: formatInt, delta: (v) => formatSigned(v)},
  {label: 'Accessibilité E2SFCA', field: 'access', fmt: (v) => formatDecimal(v, 3), delta: (v) => formatSigned(v, 3)},
];

export interface ScenarioOptions {
  store: Store;
  root: HTMLElement;
  /** Adds a place at the centre of the map. */
  addAtCenter: () => void;
}

export class ScenarioPanel {
  readonly #o: ScenarioOptions;
  readonly #changes: HTMLElement;
  readonly #results: HTMLElement;
  readonly #saveMsg: HTMLElement;
  readonly #live: HTMLElement;

  constructor(o: ScenarioOptions) {
    this.#o = o;
    this.#changes = h('div', {class: 'tdb-modifications'});
    this.#results = h('div', {class: 'tdb-resultats', id: 'tdb-scenario-resultats'});
    this.#saveMsg = h('div', {role: 'status'});
    this.#live = h('p', {class: 'fr-sr-only', 'aria-live': 'polite'});
    const form = h(
      'form',
      {id: 'tdb-scenario-formulaire', class: 'tdb-formulaire'},
      h(
        'div',
        {class: 'fr-select-group'},
        h('label', {class: 'fr-label', for: 'tdb-ajout-service'}, 'Service du lieu ajouté'),
        h(
          'select',
          {class: 'fr-select', id: 'tdb-ajout-service', name: 'service'},
          h('option', {value: 'analyse'}, 'Celui de l’analyse (filtre choisi)'),
          h('option', {value: 'tous'}, 'Tous les services'),
          SERVICES.map((v) => h('option', {value: v}, v)),
        ),
      ),
      h(
        'div',
        {class: 'fr-select-group'},
        h('label', {class: 'fr-label', for: 'tdb-ajout-dispositif'}, 'Dispositif du lieu ajouté'),
        h(
          'select',
          {class: 'fr-select', id: 'tdb-ajout-dispositif', name: 'dispositif'},
          h('option', {value: 'analyse'}, 'Celui de l’analyse (filtre choisi)'),
          h('option', {value: 'aucun'}, 'Aucun'),
          DISPOSITIFS.map((v) => h('option', {value: v}, v)),
        ),
      ),
      h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary', 'data-action': 'centre'}, 'Ajouter un lieu au centre de la carte'),
    );
    replaceChildren(
      o.root,
      h('h2', {class: 'tdb-section__titre', id: 'tdb-scenario-titre'}, 'Scénario : ajouter ou retirer des lieux'),
      h(
        'p',
        {class: 'tdb-aide'},
        'Cliquez sur la carte pour ajouter un lieu hypothétique (la croix marque le centre) ; cliquez sur un lieu existant pour le retirer, sur une marque du scénario pour l’annuler. Au clavier : déplacez la carte avec les flèches puis « Ajouter un lieu au centre de la carte ».',
      ),
      form,
      this.#results,
      this.#changes,
      this.#live,
    );
    o.root.addEventListener('click', (e) => this.#onClick(e));
    o.root.addEventListener('submit', (e) => {
      e.preventDefault();
      if ((e.target as HTMLElement).id === 'tdb-enregistrer') void this.#save(e.target as HTMLFormElement);
    });
    o.store.subscribe((s, prev) => {
      if (s.dash.mode !== 'scenario') return;
      if (s.dash.ajouts !== prev.dash.ajouts || s.dash.retraits !== prev.dash.retraits || s.board.places !== prev.board.places || s.dash.mode !== prev.dash.mode) {
        this.#renderChanges(s);
      }
      if (s.board.scenario !== prev.board.scenario || s.board.loading.scenario !== prev.board.loading.scenario || s.dash !== prev.dash) this.#renderResults(s, prev);
    });
    if (o.store.state.dash.mode === 'scenario') {
      this.#renderChanges(o.store.state);
      this.#renderResults(o.store.state, null);
    }
  }

  /** The kind of place the form asks to add. */
  kind(): Pick<Addition, 'service' | 'dispositif'> {
    const form = this.#o.root.querySelector<HTMLFormElement>('#tdb-scenario-formulaire');
    const service = (form?.elements.namedItem('service') as HTMLSelectElement | null)?.value || 'analyse';
    const dispositif = (form?.elements.namedItem('dispositif') as HTMLSelectElement | null)?.value || 'analyse';
    return {service, dispositif};
  }

  #onClick(e: Event): void {
    const t = e.target as Element;
    const store = this.#o.store;
    const d = store.state.dash;
    const btn = t.closest<HTMLButtonElement>('button[data-action]');
    if (!btn) return;
    switch (btn.dataset['action']) {
      case 'centre':
        this.#o.addAtCenter();
        break;
      case 'annuler-ajout': {
        const i = Number(btn.dataset['index']);
        store.updateDash({ajouts: d.ajouts.filter((_, j) => j !== i)}, 'replace');
        this.#refocus();
        break;
      }
      case 'annuler-retrait':
        store.updateDash({retraits: d.retraits.filter((id) => id !== btn.dataset['id'])}, 'replace');
        this.#refocus();
        break;
      case 'annuler-dernier': {
        // The last change: additions and removals are listed in their order.
        const last = btn.dataset['dernier'];
        if (last === 'ajout') store.updateDash({ajouts: d.ajouts.slice(0, -1)}, 'replace');
        else if (last === 'retrait') store.updateDash({retraits: d.retraits.slice(0, -1)}, 'replace');
        this.#refocus();
        break;
      }
      case 'effacer':
        store.updateDash({ajouts: [], retraits: []}, 'replace');
        this.#o.root.querySelector<HTMLElement>('#tdb-scenario-titre')?.setAttribute('tabindex', '-1');
        this.#o.root.querySelector<HTMLElement>('#tdb-scenario-titre')?.focus();
        break;
    }
  }

  /** After an undo, the focus goes to the list (or its heading). */
  #refocus(): void {
    const target = this.#changes.querySelector<HTMLElement>('button[data-action^="annuler"]') ?? this.#changes.querySelector<HTMLElement>('h3');
    target?.focus();
  }

  /** Which of the two lists holds the last change: we keep the order of
   * the clicks by remembering the last kind changed. */
  #lastKind: 'ajout' | 'retrait' | null = null;
  #counts = {ajouts: 0, retraits: 0};

  #renderChanges(s: AppState): void {
    const d = s.dash;
    if (d.ajouts.length !== this.#counts.ajouts || d.retraits.length !== this.#counts.retraits) replaceChildren(this.#saveMsg);
    if (d.ajouts.length > this.#counts.ajouts) this.#lastKind = 'ajout';
    else if (d.retraits.length > this.#counts.retraits) this.#lastKind = 'retrait';
    this.#counts = {ajouts: d.ajouts.length, retraits: d.retraits.length};
    if (this.#lastKind === 'ajout' && d.ajouts.length === 0) this.#lastKind = d.retraits.length ? 'retrait' : null;
    if (this.#lastKind === 'retrait' && d.retraits.length === 0) this.#lastKind = d.ajouts.length ? 'ajout' : null;
    if (!this.#lastKind) this.#lastKind = d.ajouts.length ? 'ajout' : d.retraits.length ? 'retrait' : null;
    const n = d.ajouts.length + d.retraits.length;
    const items = [
      ...d.ajouts.map((a, i) =>
        h(
          'li',
          {class: 'tdb-modification', 'data-type': 'ajout'},
          h('span', {}, additionLabel(a, i)),
          h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary-no-outline', 'data-action': 'annuler-ajout', 'data-index': i, 'aria-label': `Annuler : lieu ajouté n°${i + 1}`}, 'Annuler'),
        ),
      ),
      ...d.retraits.map((id) => {
        const p = s.board.places[id];
        const name = p?.nom ?? id;
        return h(
          'li',
          {class: 'tdb-modification', 'data-type': 'retrait'},
          h('span', {}, `Lieu retiré : ${name}`),
          h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary-no-outline', 'data-action': 'annuler-retrait', 'data-id': id, 'aria-label': `Annuler le retrait de ${name}`}, 'Annuler'),
        );
      }),
    ];
    replaceChildren(
      this.#changes,
      h('h3', {class: 'tdb-sous-titre-section', tabindex: -1}, n ? `Modifications (${n})` : 'Modifications'),
      n
        ? h('ul', {class: 'tdb-modifications__liste'}, items)
        : h('p', {class: 'tdb-note'}, 'Aucune modification : les lieux existants sont ceux de la carte.'),
      n
        ? h(
            'div',
            {class: 'tdb-actions'},
            h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary', 'data-action': 'annuler-dernier', 'data-dernier': this.#lastKind ?? ''}, 'Annuler la dernière modification'),
            h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary', 'data-action': 'effacer'}, 'Tout effacer'),
          )
        : null,
      n
        ? h(
            'form',
            {id: 'tdb-enregistrer', class: 'tdb-enregistrer'},
            h(
              'div',
              {class: 'fr-input-group'},
              h('label', {class: 'fr-label', for: 'tdb-titre-scenario'}, 'Titre du scénario', h('span', {class: 'fr-hint-text'}, 'Facultatif')),
              h('input', {class: 'fr-input', id: 'tdb-titre-scenario', name: 'titre', maxlength: 200, autocomplete: 'off'}),
            ),
            h('button', {type: 'submit', class: 'fr-btn fr-btn--sm'}, 'Enregistrer le scénario'),
            this.#saveMsg,
          )
        : null,
    );
  }

  #renderResults(s: AppState, prev: AppState | null): void {
    const d = s.dash;
    const root = this.#results;
    const n = d.ajouts.length + d.retraits.length;
    const wanted = requestKeys(d).scenario;
    const cur = s.board.scenario;
    const current = cur !== null && cur.key === wanted;
    if (n === 0) {
      root.removeAttribute('aria-busy');
      replaceChildren(root);
      root.dataset['etat'] = 'vide';
      return;
    }
    if (!current) {
      root.setAttribute('aria-busy', 'true');
      root.dataset['etat'] = 'calcul';
      if (!cur) replaceChildren(root, h('p', {class: 'tdb-note'}, 'Calcul du scénario…'));
      return;
    }
    if (prev && prev.board.scenario === cur && root.dataset['etat'] === 'pret' && root.dataset['cle'] === cur.key) return;
    root.removeAttribute('aria-busy');
    const r = cur.data;
    // The total: the region, or the national total of the loaded regions.
    const whole = r.before.level === 'national' ? r.before.name : 'Région';
    const table = h(
      'div',
      {class: 'tdb-table'},
      h(
        'table',
        {id: 'tdb-scenario-totaux'},
        h('caption', {}, `${whole} : avant et après (seuil ${formatDecimal(r.params.threshold_min, 0)}${NBSP}min)`),
        h('thead', {}, h('tr', {}, ['Indicateur', 'Avant', 'Après', 'Écart'].map((c) => h('th', {scope: 'col'}, c)))),
        h(
          'tbody',
          {},
          ROWS.map((row) => {
            const before = r.before[row.field];
            const after = r.after[row.field];
            const delta = r.total[row.field];
            return h(
              'tr',
              {'data-mesure': row.field},
              h('th', {scope: 'row'}, row.label),
              h('td', {'data-valeur': String(before)}, row.fmt(before)),
              h('td', {'data-valeur': String(after), class: 'tdb-apres'}, row.fmt(after)),
              h('td', {'data-valeur': String(delta), class: delta === 0 ? '' : 'tdb-ecart'}, row.delta(delta)),
            );
          }),
        ),
      ),
    );
    const improved = [...r.deltas]
      .filter((x) => x.beyond_population < -0.5 || x.mean_minutes < -0.005)
      .sort((a, b) => a.beyond_population - b.beyond_population || a.mean_minutes - b.mean_minutes)
      .slice(0, BEST);
    const worsened = r.deltas.filter((x) => x.beyond_population > 0.5).length;
    const best = improved.length
      ? h(
          'div',
          {class: 'tdb-table'},
          h(
            'table',
            {id: 'tdb-scenario-communes'},
            h('caption', {}, 'Communes les plus améliorées'),
            h('thead', {}, h('tr', {}, ['Commune', 'Habitants au-delà du seuil', 'Temps moyen'].map((c) => h('th', {scope: 'col'}, c)))),
            h(
              'tbody',
              {},
              improved.map((x) =>
                h('tr', {}, h('th', {scope: 'row'}, `${x.name} (${x.code})`), h('td', {}, formatSigned(x.beyond_population)), h('td', {}, `${formatSigned(x.mean_minutes, 1)}${NBSP}min`)),
              ),
            ),
          ),
        )
      : h('p', {class: 'tdb-note'}, 'Aucune commune n’est mieux desservie avec ces modifications.');
    const gain = -r.total.beyond_population;
    const sentence =
      gain > 0.5
        ? `${formatInt(gain)} habitants de moins au-delà de ${formatDecimal(r.params.threshold_min, 0)}${NBSP}min (${formatInt(r.after.beyond_population)} au lieu de ${formatInt(r.before.beyond_population)}) ; temps moyen ${formatMinutes(r.after.mean_minutes, 2)} au lieu de ${formatMinutes(r.before.mean_minutes, 2)}.`
        : gain < -0.5
          ? `${formatInt(-gain)} habitants de plus au-delà de ${formatDecimal(r.params.threshold_min, 0)}${NBSP}min ; temps moyen ${formatMinutes(r.after.mean_minutes, 2)} au lieu de ${formatMinutes(r.before.mean_minutes, 2)}.`
          : `Pas de changement du nombre d’habitants au-delà du seuil ; temps moyen ${formatMinutes(r.after.mean_minutes, 2)} au lieu de ${formatMinutes(r.before.mean_minutes, 2)}.`;
    replaceChildren(
      root,
      h('h3', {class: 'tdb-sous-titre-section'}, r.before.level === 'national' ? `Effet sur l’ensemble : ${r.before.name}` : 'Effet sur la région'),
      h('p', {class: 'tdb-resume', id: 'tdb-scenario-resume'}, sentence),
      table,
      best,
      worsened ? h('p', {class: 'tdb-note'}, `${plural(worsened, 'commune voit', 'communes voient')} augmenter leur population au-delà du seuil.`) : null,
    );
    root.dataset['etat'] = 'pret';
    root.dataset['cle'] = cur.key;
    announce(this.#live, sentence);
  }

  async #save(form: HTMLFormElement): Promise<void> {
    const title = (form.elements.namedItem('titre') as HTMLInputElement).value.trim();
    const btn = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    btn.disabled = true;
    replaceChildren(this.#saveMsg, h('p', {class: 'tdb-note'}, 'Enregistrement…'));
    try {
      const r = await postScenario(scenarioBody(this.#o.store.state.dash, {store: true, title}));
      const link = `/api/scenarios/${r.id}`;
      replaceChildren(
        this.#saveMsg,
        h(
          'div',
          {class: 'fr-alert fr-alert--success fr-alert--sm'},
          h('p', {}, `Scénario n°${r.id} enregistré${title ? ` (« ${title} »)` : ''}. `, h('a', {href: link, class: 'fr-link', target: '_blank', rel: 'noopener', title: `Scénario n°${r.id} (JSON) — nouvelle fenêtre`}, 'Voir le scénario enregistré')),
          h(
            'p',
            {class: 'tdb-note'},
            'Écarts par région, département, EPCI et commune : ',
            h('a', {href: `${link}?format=xlsx`, class: 'fr-link fr-link--sm', download: '', 'data-format': 'xlsx'}, 'Excel'),
            ' · ',
            h('a', {href: `${link}?format=csv-excel`, class: 'fr-link fr-link--sm', download: '', 'data-format': 'csv-excel'}, 'CSV pour tableur'),
            ' · ',
            h('a', {href: `${link}?format=json`, class: 'fr-link fr-link--sm', download: '', 'data-format': 'json'}, 'JSON'),
          ),
        ),
      );
    } catch (err) {
      const msg = err instanceof ApiError ? err.message : (err as Error).message;
      replaceChildren(this.#saveMsg, h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, `Le scénario n’a pas pu être enregistré : ${msg}`)));
    } finally {
      btn.disabled = false;
    }
  }
}
