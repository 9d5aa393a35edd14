import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  describeDay,
  isOpen,
  nextChange,
  describeChange,
  parseOpeningHours,
  parisWeekTime,
  statusAt,
  type Week,
} from '../src/openinghours.ts';

const MO = 0, TU = 1, WE = 2, TH = 3, FR = 4, SA = 5, SU = 6;
const at = (day: number, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return {day, minutes: h! * 60 + m!};
};
function parse(src: string): Week {
  const w = parseOpeningHours(src);
  assert.ok(w, `should parse ${src}`);
  return w;
}

test('parses days, ranges, lists and comma-separated times', () => {
  const w = parse('Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00');
  assert.deepEqual(w.days[MO], [{start: 540, end: 720}, {start: 840, end: 1110}]);
  assert.deepEqual(w.days[FR], w.days[MO]);
  assert.deepEqual(w.days[SA], [{start: 510, end: 720}]);
  assert.deepEqual(w.days[SU], []);
  const l = parse('Mo,We,Fr 10:00-12:00');
  assert.equal(l.days[MO]!.length, 1);
  assert.equal(l.days[TU]!.length, 0);
  assert.equal(l.days[WE]!.length, 1);
  const wrap = parse('Sa-Mo 10:00-11:00');
  assert.deepEqual([SA, SU, MO].map((d) => wrap.days[d]!.length), [1, 1, 1]);
  assert.equal(wrap.days[TU]!.length, 0);
});

test('later rules override earlier ones for their days; off closes', () => {
  const w = parse('Mo-Fr 08:00-12:00; We 14:00-18:00; Fr off');
  assert.deepEqual(w.days[WE], [{start: 840, end: 1080}]);
  assert.deepEqual(w.days[FR], []);
  assert.deepEqual(w.days[TH], [{start: 480, end: 720}]);
  const t = parse('Mo-Fr 07:00-11:00; Tu,Th off');
  assert.deepEqual(t.days[TU], []);
  assert.deepEqual(t.days[TH], []);
  assert.equal(t.days[MO]!.length, 1);
});

test('24/7, PH off ignored, additional rules, overnight ranges, comments', () => {
  const always = parse('24/7');
  assert.ok(always.days.every((d) => d.length === 1 && d[0]!.start === 0 && d[0]!.end === 1440));
  assert.equal(nextChange(always, at(MO, '10:00')), null);
  assert.equal(describeDay(always.days[0]!), 'Ouvert 24 h sur 24');

  const ph = parse('Mo-Fr 09:00-17:00; PH off');
  assert.equal(ph.days[MO]!.length, 1);
  const phList = parse('Mo-Fr,PH 09:00-17:00');
  assert.equal(phList.days[FR]!.length, 1);
  assert.equal(phList.days[SA]!.length, 0);

  const add = parse('Mo-Fr 08:00-12:00, We 14:00-18:00');
  assert.deepEqual(add.days[WE], [{start: 480, end: 720}, {start: 840, end: 1080}]);

  const night = parse('Fr 20:00-02:00');
  assert.deepEqual(night.days[FR], [{start: 1200, end: 1440}]);
  assert.deepEqual(night.days[SA], [{start: 0, end: 120}]);
  assert.ok(isOpen(night, at(SA, '01:30')));
  assert.deepEqual(nextChange(night, at(FR, '23:00')), {open: true, at: at(SA, '02:00'), daysAhead: 1});

  const c = parse('Mo 09:00-12:00 "sur rendez-vous"');
  assert.deepEqual(c.comments, ['sur rendez-vous']);
  const all = parse('Mo-Fr');
  assert.deepEqual(all.days[MO], [{start: 0, end: 1440}]);
  const everyDay = parse('10:00-18:00');
  assert.ok(everyDay.days.every((d) => d.length === 1));
});

test('gives up on what it does not understand', () => {
  for (const src of [
    '',
    '   ',
    'Lundi : 8h30-12h ; Mardi à Vendredi : 8h30-12h/14h-17h',
    'Jan-Mar Mo 09:00-12:00',
    'Mo[1] 09:00-12:00',
    'Mo 09:00-09:00',
    'Mo 25:00-26:00',
    'Mo 09:00-12:00 || "sur rendez-vous"',
    'sunrise-sunset',
    '<ul><li>Lundi de 14h - 16h</li></ul>',
  ]) {
    assert.equal(parseOpeningHours(src), null, src);
  }
  assert.equal(parseOpeningHours(null), null);
});

test('open now and the next change', () => {
  const w = parse('Mo-Fr 09:00-12:00,14:00-17:00');
  assert.equal(isOpen(w, at(MO, '08:59')), false);
  assert.equal(isOpen(w, at(MO, '09:00')), true);
  assert.equal(isOpen(w, at(MO, '12:00')), false);
  assert.equal(describeChange(nextChange(w, at(MO, '10:00'))!), 'Ferme à 12:00');
  assert.equal(describeChange(nextChange(w, at(MO, '12:30'))!), 'Ouvre à 14:00');
  assert.equal(describeChange(nextChange(w, at(MO, '18:00'))!), 'Ouvre demain à 09:00');
  assert.equal(describeChange(nextChange(w, at(FR, '18:00'))!), 'Ouvre lundi à 09:00');
  assert.equal(describeChange(nextChange(w, at(SA, '11:00'))!), 'Ouvre lundi à 09:00');
  assert.equal(describeChange(nextChange(w, at(SU, '11:00'))!), 'Ouvre demain à 09:00');
  const s = statusAt(w, at(TU, '15:00'));
  assert.deepEqual(s, {open: true, label: 'Ouvert', next: 'Ferme à 17:00'});
  const closed = parse('Mo off');
  assert.equal(nextChange(closed, at(MO, '10:00')), null);
  assert.deepEqual(statusAt(closed, at(MO, '10:00')), {open: false, label: 'Fermé', next: null});
  const continuous = parse('Mo 20:00-24:00; Tu 00:00-03:00');
  assert.equal(describeChange(nextChange(continuous, at(MO, '21:00'))!), 'Ferme demain à 03:00');
});

test('weekly table text', () => {
  const w = parse('Mo 09:00-12:00,13:30-16:30');
  assert.equal(describeDay(w.days[MO]!), '09:00 – 12:00, 13:30 – 16:30');
  assert.equal(describeDay(w.days[TU]!), 'Fermé');
});

test('time in France whatever the machine zone', () => {
  // 2026-01-05 is a Monday; 08:30 UTC is 09:30 in Paris (winter).
  assert.deepEqual(parisWeekTime(new Date('2026-01-05T08:30:00Z')), {day: MO, minutes: 570});
  // Summer time: 2026-07-05 (Sunday) 22:30 UTC is Monday 00:30 in Paris.
  assert.deepEqual(parisWeekTime(new Date('2026-07-05T22:30:00Z')), {day: MO, minutes: 30});
});

test('every horaires value of the national dataset sample parses or is refused without throwing', () => {
  const samples = [
    'Mo 09:00-12:00,13:30-16:30; Tu 09:00-12:00,17:00-19:00; We 13:00-17:30; Th 13:30-17:30',
    'Sa,Su 10:00-11:30; Mo 16:30-18:00; Tu 17:30-19:00; We 09:00-12:00,14:30-16:30; Th 11:00-12:00; Fr 15:00-18:30',
    'Tu,Fr 15:00-18:30; We,Sa 10:00-12:30,13:30-18:30; Su 10:00-13:00,14:00-18:00',
  ];
  for (const s of samples) assert.ok(parseOpeningHours(s), s);
});
