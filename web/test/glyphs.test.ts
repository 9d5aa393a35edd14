// The labels' glyphs (scripts/glyphs.mjs): the protobufs decode as MapLibre
// reads them (glyphs.proto) and every letter of French has a glyph.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {PbfReader} from 'pbf';
import {BORDER, RANGES, STACKS, writeGlyphs} from '../scripts/glyphs.mjs';

interface Decoded {id: number; bitmap: Uint8Array; width: number; height: number; left: number; top: number; advance: number}

function decode(buf: Uint8Array): {name: string; range: string; glyphs: Decoded[]}[] {
  const stacks: {name: string; range: string; glyphs: Decoded[]}[] = [];
  new PbfReader(buf).readFields((tag, _: unknown, pbf) => {
    if (tag !== 1 || !pbf) return;
    const stack = {name: '', range: '', glyphs: [] as Decoded[]};
    pbf.readMessage((t, s, p) => {
      if (!p) return;
      if (t === 1) s.name = p.readString();
      else if (t === 2) s.range = p.readString();
      else if (t === 3) {
        const g: Decoded = {id: -1, bitmap: new Uint8Array(0), width: -1, height: -1, left: 0, top: 0, advance: -1};
        p.readMessage((gt, gg, gp) => {
          if (!gp) return;
          if (gt === 1) gg.id = gp.readVarint();
          else if (gt === 2) gg.bitmap = gp.readBytes();
          else if (gt === 3) gg.width = gp.readVarint();
          else if (gt === 4) gg.height = gp.readVarint();
          else if (gt === 5) gg.left = gp.readSVarint();
          else if (gt === 6) gg.top = gp.readSVarint();
          else if (gt === 7) gg.advance = gp.readVarint();
        }, g);
        s.glyphs.push(g);
      }
    }, stack);
    stacks.push(stack);
  }, null);
  return stacks;
}

const dir = mkdtempSync(join(tmpdir(), 'glyphes-'));
const files = writeGlyphs(dir);

test('one file per stack and range, named as MapLibre asks for it', () => {
  assert.equal(files.length, STACKS.length * RANGES.length);
  for (const s of STACKS) for (const r of RANGES) assert.ok(files.includes(join(dir, s.name, `${r}-${r + 255}.pbf`)));
});

test('every file decodes: its stack, its range, bitmaps of (width+6)×(height+6) bytes', () => {
  for (const f of files) {
    const stacks = decode(readFileSync(f));
    assert.equal(stacks.length, 1);
    const [s] = stacks;
    assert.ok(s);
    assert.equal(s.name, basename(dirname(f)));
    assert.equal(s.range, basename(f, '.pbf'));
    const [start, end] = s.range.split('-').map(Number);
    assert.ok(s.glyphs.length > 30, `${f}: ${s.glyphs.length} glyphes`);
    for (const g of s.glyphs) {
      assert.ok(g.id >= start! && g.id <= end!, `${g.id} hors de ${s.range}`);
      assert.ok(g.advance >= 0 && g.advance < 48);
      if (g.width === 0) assert.equal(g.bitmap.length, 0);
      else assert.equal(g.bitmap.length, (g.width + 2 * BORDER) * (g.height + 2 * BORDER), `glyphe ${g.id}`);
    }
  }
});

test('the letters and signs of French have a drawn glyph in both stacks', () => {
  const french = 'éèêëàâäçîïôöùûüÿœæÉÈÊÀÂÇÎÔÛŒÆ’«»–—…';
  for (const s of STACKS) {
    const all = new Map<number, Decoded>();
    for (const r of RANGES) for (const g of decode(readFileSync(join(dir, s.name, `${r}-${r + 255}.pbf`)))[0]!.glyphs) all.set(g.id, g);
    for (const ch of french + 'Amiens Saint-Quentin') {
      const g = all.get(ch.codePointAt(0)!);
      assert.ok(g, `${s.name} : « ${ch} » absent`);
      if (ch === ' ') continue;
      assert.ok(g.width > 0 && g.height > 0, `${s.name} : « ${ch} » vide`);
      // Inside the outline (≥ 191) somewhere, outside (< 191) at the corners.
      assert.ok(g.bitmap.some((v) => v >= 191), `${s.name} : « ${ch} » sans intérieur`);
      assert.ok(g.bitmap[0]! < 191 && g.bitmap[g.bitmap.length - 1]! < 191, `${s.name} : « ${ch} » coins pleins`);
    }
    // The space and the no-break spaces have an advance, no bitmap.
    for (const cp of [0x20, 0xa0, 0x202f]) assert.ok((all.get(cp)?.advance ?? 0) > 0, `${s.name} : espace ${cp.toString(16)}`);
  }
});

test('glyph files are small enough for a phone (0-255 under 100 KB raw)', () => {
  for (const s of STACKS) assert.ok(readFileSync(join(dir, s.name, '0-255.pbf')).length < 100_000);
  rmSync(dir, {recursive: true, force: true});
});
