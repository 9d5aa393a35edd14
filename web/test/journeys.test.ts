import {test} from 'node:test';
import assert from 'node:assert/strict';
import {aNom, deNom, directionsHref, displayName, hoursWording, isPhone, plural} from '../src/format.ts';

test('elisions and contractions before commune names', () => {
  assert.equal(deNom('Amiens'), "d'Amiens");
  assert.equal(deNom('Laon'), 'de Laon');
  assert.equal(deNom('Yvetot'), "d'Yvetot");
  assert.equal(deNom('Évreux'), "d'Évreux");
  assert.equal(deNom('Hirson'), "d'Hirson");
  assert.equal(deNom('Le Touquet-Paris-Plage'), 'du Touquet-Paris-Plage');
  assert.equal(deNom('Les Andelys'), 'des Andelys');
  assert.equal(deNom('La Capelle'), 'de La Capelle');
  assert.equal(deNom('votre position'), 'de votre position');
  assert.equal(aNom('Le Cateau-Cambrésis'), 'au Cateau-Cambrésis');
  assert.equal(aNom('Amiens'), 'à Amiens');
});

test('plurals', () => {
  assert.equal(plural(0, 'lieu', 'lieux'), '0 lieu');
  assert.equal(plural(1, 'lieu', 'lieux'), '1 lieu');
  assert.equal(plural(2, 'lieu', 'lieux'), '2 lieux');
});

test('the display name is preferred to the source name', () => {
  assert.equal(displayName({nom: 'COMMUNE DE LENS', nom_affiche: 'Commune de Lens'}), 'Commune de Lens');
  assert.equal(displayName({nom: 'EPN'}), 'EPN');
});

test('unreadable hours are to be confirmed, the raw text a detail', () => {
  assert.deepEqual(hoursWording({valide: true, libelle: 'Ouvert jusqu’à 18:00', ouvert: true}, 'Mo-Fr 09:00-18:00'), {
    main: 'Ouvert jusqu’à 18:00',
    ouvert: true,
    detail: null,
  });
  const w = hoursWording({valide: false, libelle: '', ouvert: false}, 'lundi<br>9h-12h; Mo 25:00');
  assert.equal(w?.main, 'Horaires à confirmer auprès du lieu');
  assert.equal(w?.ouvert, null);
  assert.equal(w?.detail, 'lundi\n9h-12h; Mo 25:00');
  assert.equal(hoursWording(undefined, ''), null);
});

test('Itinéraire: geo: on phones, the directions template elsewhere', () => {
  assert.equal(directionsHref(49.894, 2.2957, 'Médiathèque', false), 'https://www.openstreetmap.org/directions?to=49.894000,2.295700');
  assert.match(directionsHref(49.894, 2.2957, 'Médiathèque', true), /^geo:49\.894000,2\.295700\?q=49\.894000,2\.295700\(M%C3%A9diath%C3%A8que\)$/);
  assert.equal(
    directionsHref(49.5, 2.5, 'A & B', false, 'https://maps.example.fr/dir?to={lat},{lon}&n={nom}'),
    'https://maps.example.fr/dir?to=49.500000,2.500000&n=A%20%26%20B',
  );
  // A template that is not an http(s) URL falls back to OpenStreetMap.
  assert.match(directionsHref(49.5, 2.5, 'x', false, 'javascript:alert({lat})'), /^https:\/\/www\.openstreetmap\.org\//);
  const mm = (coarse: boolean, small: boolean) => ({matchMedia: (q: string) => ({matches: q.includes('coarse') ? coarse : small})});
  assert.equal(isPhone(mm(true, false)), true);
  assert.equal(isPhone(mm(false, true)), true);
  assert.equal(isPhone(mm(false, false)), false);
});
