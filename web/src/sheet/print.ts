// "Imprimer une fiche d'orientation": one A4 page for a beneficiary to take
// home: name, France Services and labels, address, a small map drawn from
// the project's own tiles, the week's hours as a table, contacts, services,
// and a QR code of the short link to the place, printed beside it.

import type {Feature, PlaceDetail} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {formatDate, formatPhone, plainText, safeEmail, safeHttpUrl} from '../format.ts';
import {DAY_NAMES, describeDay, readable, weekComments} from '../hours.ts';
import {printMapImage} from './printmap.ts';
import {qrSVG} from './qr.ts';

/** The name to show: the server's display name when it gives one (read
 * for reading, e.g. "CCAS d'Amiens" for "CCAS_AMIENS"), else the name. */
export function displayName(p: {nom: string; nom_affiche?: string | null}): string {
  return p.nom_affiche?.trim() || p.nom;
}

/** The hours of the sheet: a table of the week, or the raw text when the
 * server could not read it, never the raw syntax as the main line. */
function hoursPart(p: PlaceDetail): (HTMLElement | null)[] {
  const week = readable(p.horaires_calcules);
  if (week) {
    const comments = weekComments(week);
    return [
      h(
        'table',
        {class: 'impression__horaires'},
        h('caption', {class: 'fr-sr-only'}, "Horaires d'ouverture"),
        h('tbody', {}, DAY_NAMES.map((d, i) => h('tr', {}, h('th', {scope: 'row'}, d[0]!.toUpperCase() + d.slice(1)), h('td', {}, describeDay(week.semaine[i]))))),
      ),
      comments.length ? h('p', {class: 'impression__note'}, comments.join(' ; ')) : null,
    ];
  }
  if (p.horaires) {
    return [
      h('p', {class: 'impression__a-confirmer'}, 'Horaires à confirmer auprès du lieu'),
      h('p', {class: 'impression__note'}, `Horaires indiqués : ${plainText(p.horaires)}`),
    ];
  }
  return [h('p', {class: 'impression__a-confirmer'}, 'Horaires non renseignés : appelez avant de vous déplacer.')];
}

export function orientationSheet(f: Feature<PlaceDetail>, link: string): HTMLElement[] {
  const p = f.properties as PlaceDetail & {nom_affiche?: string | null};
  const rdv = safeHttpUrl(p.prise_rdv);
  const dispositifs = p.dispositif_programmes_nationaux ?? [];
  const labels = [...dispositifs, ...(p.formations_labels ?? []), ...(p.autres_formations_labels ?? [])];
  const contacts = [
    p.telephone ? h('li', {}, h('span', {class: 'impression__cle'}, 'Téléphone : '), formatPhone(p.telephone)) : null,
    ...(p.courriels ?? []).map(safeEmail).filter((m): m is string => m !== null).map((m) => h('li', {}, h('span', {class: 'impression__cle'}, 'Courriel : '), m)),
    rdv ? h('li', {}, h('span', {class: 'impression__cle'}, 'Rendez-vous en ligne : '), rdv) : null,
    ...(p.site_web ?? []).map(safeHttpUrl).filter((u): u is string => u !== null).map((u) => h('li', {}, h('span', {class: 'impression__cle'}, 'Site : '), u)),
  ].filter((x): x is HTMLLIElement => x !== null);
  const services = p.services ?? [];
  const address = [p.adresse, p.complement_adresse, `${p.code_postal ?? ''} ${p.commune ?? ''}`.trim()].filter(Boolean);
  const head = h(
    'header',
    {class: 'impression__entete'},
    h('p', {class: 'impression__surtitre'}, "Fiche d'orientation — lieu de médiation numérique"),
    h('h1', {}, displayName(p)),
    labels.length ? h('ul', {class: 'impression__etiquettes'}, labels.map((l) => h('li', {class: l === 'France Services' ? 'est-fs' : null}, l))) : null,
    h('address', {}, address.map((line, i) => [i ? h('br') : null, line]).flat()),
    p.provenance?.precision === 'commune' ? h('p', {class: 'impression__note'}, 'Position approximative : le lieu est placé au centre de sa commune.') : null,
  );
  const side = h(
    'div',
    {class: 'impression__cote'},
    h('figure', {class: 'impression__carte', id: 'impression-carte'}, h('p', {class: 'impression__note'}, 'Préparation de la carte…')),
    h(
      'figure',
      {class: 'impression__qr'},
      qrSVG(link, `QR code de l'adresse de cette fiche : ${link}`),
      h('figcaption', {}, 'Retrouvez ce lieu en ligne :', h('br'), h('span', {class: 'impression__lien'}, link)),
    ),
  );
  const main = h(
    'div',
    {class: 'impression__principal'},
    h('h2', {}, 'Horaires'),
    ...hoursPart(p),
    h('h2', {}, 'Contact'),
    contacts.length ? h('ul', {class: 'impression__contacts'}, contacts) : h('p', {}, "Aucun contact renseigné : présentez-vous aux horaires d'ouverture."),
    services.length ? h('h2', {}, 'Services') : null,
    services.length ? h('ul', {class: 'impression__services'}, services.map((s) => h('li', {}, s))) : null,
    (p.modalites_acces ?? []).length ? h('p', {}, `Comment y accéder : ${(p.modalites_acces ?? []).join(', ')}.`) : null,
    (p.frais_a_charge ?? []).length ? h('p', {}, `Frais : ${(p.frais_a_charge ?? []).join(', ')}.`) : null,
  );
  return [
    head,
    h('div', {class: 'impression__corps'}, main, side),
    h('p', {class: 'impression__pied'}, `Informations mises à jour le ${formatDate(p.date_maj)}. Fiche imprimée le ${formatDate(new Date().toISOString().slice(0, 10))}. Source : Cartonum.`),
  ];
}

/** Fills the print area with the sheet, draws its map, then prints. The
 * area's data-etat says "carte" while the map is drawn and "prete" once
 * the page is ready to print. */
export async function printOrientationSheet(f: Feature<PlaceDetail>, link: string): Promise<void> {
  const target = document.getElementById('impression');
  if (!target) return;
  replaceChildren(target, ...orientationSheet(f, link));
  target.dataset['etat'] = 'carte';
  document.body.classList.add('impression-active');
  const figure = target.querySelector<HTMLElement>('#impression-carte')!;
  const [lon, lat] = f.geometry.coordinates;
  try {
    const url = await printMapImage({lon, lat, franceServices: (f.properties.dispositif_programmes_nationaux ?? []).includes('France Services')});
    const img = h('img', {src: url, alt: `Plan du quartier autour de ${displayName(f.properties as PlaceDetail & {nom_affiche?: string})}, le lieu marqué par une épingle`});
    await img.decode().catch(() => {});
    replaceChildren(figure, img, h('figcaption', {class: 'impression__note'}, 'Carte Cartonum : contours des communes et lieux de médiation numérique'));
  } catch {
    replaceChildren(figure, h('p', {class: 'impression__note'}, "La carte n'a pas pu être dessinée."));
  }
  target.dataset['etat'] = 'prete';
  const done = () => {
    document.body.classList.remove('impression-active');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
