// The map's legend: the indicator and level shown, each class with its
// colour and how many territories it holds, and the marks of the current
// mode. It is real content (not hidden from screen readers); the figures
// themselves are in the lists and tables of the panel.

import {h, replaceChildren} from '../dom.ts';
import {plural} from '../format.ts';
import {hatchDataURL, markDataURL, pinDataURL} from '../map/images.ts';
import type {AppState, Store} from '../store.ts';
import {INDICATORS, LEVEL_NAMES, valueOf} from './indicators.ts';
import {classCounts, type Scale} from './legend.ts';
import {outsideText, uncertainText, type EdgeInfo} from './edge.ts';
import {showsPlaces} from './state.ts';
import {deltasOf} from './scenariomap.ts';

function swatch(color: string): HTMLElement {
  const s = h('span', {class: 'tdb-legende__pastille'});
  s.style.background = color;
  return s;
}

function icon(src: string, wide = false, faint = false): HTMLElement {
  return h('img', {src, alt: '', class: `tdb-legende__icone${wide ? ' tdb-legende__icone--large' : ''}${faint ? ' tdb-legende__icone--pale' : ''}`});
}

export class LegendView {
  readonly #root: HTMLElement;
  readonly #scale: () => Scale | null;
  // Folded at first on small screens, where it would hide the map.
  #collapsed = window.matchMedia('(max-width: 47.99em)').matches;
  #images: Record<string, string> | null = null;

  readonly #edge: EdgeInfo | null;

  constructor(store: Store, root: HTMLElement, scale: () => Scale | null, edge: EdgeInfo | null = null) {
    this.#root = root;
    this.#scale = scale;
    this.#edge = edge;
    edge?.subscribe(() => this.#render(store.state));
    root.addEventListener('click', (e) => {
      if (!(e.target as Element).closest('[data-action="replier"]')) return;
      this.#collapsed = !this.#collapsed;
      this.#render(store.state);
      root.querySelector<HTMLElement>('[data-action="replier"]')?.focus();
    });
    store.subscribe((s, prev) => {
      if (
        s.board.indicators !== prev.board.indicators ||
        s.dash.indicateur !== prev.dash.indicateur ||
        s.dash.params.seuil !== prev.dash.params.seuil ||
        s.dash.zones !== prev.dash.zones ||
        s.dash.lieux !== prev.dash.lieux ||
        s.dash.mode !== prev.dash.mode ||
        s.board.scenario !== prev.board.scenario
      ) {
        this.#render(s);
      }
    });
    this.#render(store.state);
  }

  #img(): Record<string, string> {
    this.#images ??= {
      hachures: hatchDataURL(),
      lieu: pinDataURL(false),
      fs: pinDataURL(true),
      ajout: markDataURL('ajout'),
      retrait: markDataURL('retrait'),
      proposition: markDataURL('proposition', '1'),
    };
    return this.#images;
  }

  #render(s: AppState): void {
    const d = s.dash;
    const ind = s.board.indicators;
    const def = INDICATORS[d.indicateur];
    const scale = this.#scale();
    const title = def.title(d.params.seuil);
    const toggle = h(
      'button',
      {type: 'button', class: 'tdb-legende__replier fr-btn fr-btn--tertiary-no-outline fr-btn--sm', 'data-action': 'replier', 'aria-expanded': String(!this.#collapsed), 'aria-controls': 'tdb-legende-contenu'},
      this.#collapsed ? 'Afficher la légende' : 'Masquer la légende',
    );
    this.#root.dataset['indicateur'] = d.indicateur;
    this.#root.dataset['niveau'] = ind?.level ?? '';
    if (!ind || !scale) {
      replaceChildren(this.#root, h('h2', {class: 'tdb-legende__titre', id: 'tdb-legende-titre'}, title), h('p', {class: 'tdb-legende__niveau'}, 'Chargement des indicateurs…'));
      return;
    }
    const names = LEVEL_NAMES[ind.level];
    const counts = classCounts(ind.data.map((i) => valueOf(i, d.indicateur)), scale);
    const img = this.#img();
    const extras: HTMLElement[] = [];
    const edge = this.#edge?.edge ?? null;
    const zones = this.#edge?.zones ?? null;
    if (d.zones) extras.push(h('li', {}, icon(img['hachures']!), `Zone blanche : à plus de ${d.params.seuil} min d’un lieu${zones?.scenario ? ' (avec le scénario)' : ''}`));
    if (d.zones && edge && zones && zones.uncertain > 0) {
      extras.push(h('li', {class: 'tdb-legende__incertain', 'data-incertaines': zones.uncertain}, icon(img['hachures']!, false, true), uncertainText(edge)));
    }
    if (showsPlaces(d)) {
      extras.push(h('li', {}, icon(img['lieu']!), 'Lieu pris en compte'), h('li', {}, icon(img['fs']!), 'France Services'));
    }
    if (d.mode === 'scenario') {
      extras.push(h('li', {}, icon(img['ajout']!), 'Lieu ajouté (scénario)'), h('li', {}, icon(img['retrait']!), 'Lieu retiré (scénario)'));
      const n = s.board.scenario ? deltasOf(s.board.scenario.data, ind.level).length : 0;
      if (n > 0 && d.ajouts.length + d.retraits.length > 0) {
        extras.push(h('li', {class: 'tdb-legende__modifies'}, h('span', {class: 'tdb-legende__contour', 'aria-hidden': 'true'}), `${plural(n, 'territoire recoloré', 'territoires recolorés')} par le scénario (valeur après)`));
      }
    }
    if (d.mode === 'implantation') extras.push(h('li', {}, icon(img['proposition']!, true), 'Implantation proposée (rang)'));
    replaceChildren(
      this.#root,
      h('div', {class: 'tdb-legende__entete'}, h('h2', {class: 'tdb-legende__titre', id: 'tdb-legende-titre'}, title), toggle),
      h(
        'div',
        {id: 'tdb-legende-contenu', hidden: this.#collapsed},
        h('p', {class: 'tdb-legende__niveau'}, `Par ${names.one} · ${plural(ind.data.length, 'territoire', 'territoires')}`),
        h(
          'ul',
          {class: 'tdb-legende__classes'},
          scale.labels.map((label, i) =>
            h('li', {'data-classe': i}, swatch(scale.colors[i]!), h('span', {}, label), h('span', {class: 'tdb-legende__nombre'}, `(${counts[i] ?? 0}`, h('span', {class: 'fr-sr-only'}, ` ${names.many}`), ')')),
          ),
        ),
        extras.length ? h('ul', {class: 'tdb-legende__autres'}, extras) : null,
        edge ? h('p', {class: 'tdb-legende__bord', id: 'tdb-legende-bord'}, outsideText(edge)) : null,
      ),
    );
  }
}
