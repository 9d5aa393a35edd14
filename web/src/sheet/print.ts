// "Imprimer une fiche d'orientation": one printed page for a beneficiary
// (name, address, hours, contact, services, a short link to the place).

import type {Feature, PlaceDetail} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatDate, formatPhone, plainText, safeHttpUrl} from '../format.ts';
import {DAY_NAMES, describeDay, readable} from '../hours.ts';

export function orientationSheet(f: Feature<PlaceDetail>, link: string): HTMLElement[] {
  const p = f.properties;
  const week = readable(p.horaires_calcules);
  const rdv = safeHttpUrl(p.prise_rdv);
  const contacts = [
    p.telephone ? h('li', {}, `Téléphone : ${formatPhone(p.telephone)}`) : null,
    ...(p.courriels ?? []).map((m) => h('li', {}, `Courriel : ${m}`)),
    rdv ? h('li', {}, `Rendez-vous en ligne : ${rdv}`) : null,
    ...(p.site_web ?? []).map(safeHttpUrl).filter((u): u is string => u !== null).map((u) => h('li', {}, `Site : ${u}`)),
  ].filter((x): x is HTMLLIElement => x !== null);
  const parts: (HTMLElement | null)[] = [
    h('p', {}, "Fiche d'orientation — lieu de médiation numérique"),
    h('h1', {}, p.nom),
    h('h2', {}, 'Adresse'),
    h('p', {}, [p.adresse, p.complement_adresse, `${p.code_postal ?? ''} ${p.commune ?? ''}`.trim()].filter(Boolean).join(', ')),
    h('h2', {}, 'Horaires'),
    week
      ? h('table', {}, h('tbody', {}, DAY_NAMES.map((d, i) => h('tr', {}, h('th', {scope: 'row'}, d[0]!.toUpperCase() + d.slice(1)), h('td', {}, describeDay(week.semaine[i]))))))
      : h('p', {}, p.horaires ? plainText(p.horaires) : 'Non renseignés : appelez avant de vous déplacer.'),
    h('h2', {}, 'Contact'),
    contacts.length ? h('ul', {}, contacts) : h('p', {}, 'Aucun contact renseigné : présentez-vous aux horaires d\'ouverture.'),
    (p.services ?? []).length ? h('h2', {}, 'Services') : null,
    (p.services ?? []).length ? h('ul', {}, (p.services ?? []).map((s) => h('li', {}, s))) : null,
    (p.modalites_acces ?? []).length ? h('p', {}, `Comment y accéder : ${(p.modalites_acces ?? []).join(', ')}.`) : null,
    (p.frais_a_charge ?? []).length ? h('p', {}, `Frais : ${(p.frais_a_charge ?? []).join(', ')}.`) : null,
    h('h2', {}, 'Retrouver ce lieu en ligne'),
    h('p', {class: 'impression__lien'}, link),
    h('p', {class: 'impression__pied'}, `Informations mises à jour le ${formatDate(p.date_maj)}. Fiche imprimée le ${formatDate(new Date().toISOString().slice(0, 10))}.`),
  ];
  return parts.filter((x): x is HTMLElement => x !== null);
}

export function printOrientationSheet(f: Feature<PlaceDetail>, link: string): void {
  const target = document.getElementById('impression');
  if (!target) return;
  replaceChildren(target, ...orientationSheet(f, link));
  document.body.classList.add('impression-active');
  const done = () => {
    document.body.classList.remove('impression-active');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
