// The tracking page of a proposal (/propositions/<token>): its status,
// the moderator's reason for a refusal, the place once accepted. The
// token is the only key: the page shows nothing else about the
// contributor.

import {h, replaceChildren} from '../dom.ts';
import {ContribError, getTracking} from './client.ts';
import {MOTIVES, STATUSES, TYPES} from './diff.ts';
import {alertBox, formatDateTime} from './ui.ts';

export async function mountTracking(root: HTMLElement, token: string): Promise<void> {
  const heading = h('h1', {id: 'titre-page', tabindex: -1}, 'Suivi de votre proposition');
  replaceChildren(root, heading, h('p', {role: 'status'}, 'Chargement…'));
  document.title = 'Suivi de votre proposition — Cartonum';
  try {
    const p = await getTracking(token);
    const badge = p.statut === 'acceptee' ? 'fr-badge--success' : p.statut === 'refusee' ? 'fr-badge--error' : 'fr-badge--info';
    const place = p.resultat || p.lieu;
    const row = (label: string, value: Node | string | null) => (value ? [h('dt', {}, label), h('dd', {}, value)] : []);
    replaceChildren(
      root,
      heading,
      h('p', {class: 'suivi__statut', id: 'statut'}, h('span', {class: `fr-badge ${badge}`, 'data-statut': p.statut}, STATUSES[p.statut] ?? p.statut)),
      h(
        'dl',
        {class: 'suivi__details'},
        row('Proposition', TYPES[p.type] ?? p.type),
        row('Lieu', p.nom ?? null),
        row('Motif', p.motif ? (MOTIVES.find((m) => m.code === p.motif)?.libelle ?? p.motif) : null),
        row('Envoyée le', formatDateTime(p.cree_le)),
        row('Traitée le', p.decide_le ? formatDateTime(p.decide_le) : null),
        row('Raison du modérateur', p.raison ?? null),
      ),
      p.statut === 'en_attente' ? h('p', {}, 'Un modérateur va examiner votre proposition. Revenez sur cette page pour suivre son traitement.') : null,
      p.statut === 'acceptee' && p.type !== 'signalement' && place
        ? h('p', {}, h('a', {class: 'fr-link', id: 'lien-lieu', href: `/carte?lieu=${encodeURIComponent(place)}`}, 'Voir le lieu sur la carte'))
        : null,
      p.statut === 'acceptee' && p.type === 'signalement' ? h('p', {}, 'Merci : la fiche du lieu a été mise à jour.') : null,
      p.statut === 'refusee' ? h('p', {}, 'Vous pouvez faire une nouvelle proposition depuis la fiche du lieu sur la carte.') : null,
      h('p', {}, h('a', {class: 'fr-link', href: '/carte'}, 'Retour à la carte')),
    );
  } catch (e) {
    const notFound = e instanceof ContribError && e.status === 404;
    replaceChildren(
      root,
      heading,
      alertBox('error', notFound ? 'Proposition introuvable' : 'Suivi indisponible', h('p', {}, notFound ? "Ce lien de suivi ne correspond à aucune proposition. Vérifiez qu'il est complet." : 'Réessayez dans quelques instants.')),
    );
  }
}
