// Map icons drawn on a canvas at run time: place pins and cluster counts.
// Drawing the counts avoids glyph files (the map needs no font server).

export const COLORS = {
  place: '#000091', // bleu France
  franceServices: '#c9191e', // rouge Marianne (darker, for contrast)
  cluster: '#000091',
  clusterFS: '#000091',
  halo: '#ffffff',
  focus: '#ffca00',
} as const;

export interface Drawn {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

function canvas(w: number, h: number, ratio: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  c.width = Math.ceil(w * ratio);
  c.height = Math.ceil(h * ratio);
  const ctx = c.getContext('2d', {willReadFrequently: true});
  if (!ctx) throw new Error('canvas 2D indisponible');
  ctx.scale(ratio, ratio);
  return [c, ctx];
}

function pixels(c: HTMLCanvasElement): Drawn {
  const ctx = c.getContext('2d')!;
  const img = ctx.getImageData(0, 0, c.width, c.height);
  return {width: c.width, height: c.height, data: img.data};
}

/** Draws a pin: round for places, square-headed for France Services. */
function drawPin(ctx: CanvasRenderingContext2D, fs: boolean, w: number, h: number): void {
  const color = fs ? COLORS.franceServices : COLORS.place;
  const cx = w / 2;
  const r = w / 2 - 2;
  ctx.lineWidth = 2;
  ctx.strokeStyle = COLORS.halo;
  ctx.fillStyle = color;
  ctx.beginPath();
  if (fs) {
    const top = 2;
    const side = w - 4;
    ctx.moveTo(2 + 3, top);
    ctx.lineTo(2 + side - 3, top);
    ctx.quadraticCurveTo(2 + side, top, 2 + side, top + 3);
    ctx.lineTo(2 + side, top + side - 3);
    ctx.quadraticCurveTo(2 + side, top + side, 2 + side - 3, top + side);
    ctx.lineTo(cx + 5, top + side);
    ctx.lineTo(cx, h - 2);
    ctx.lineTo(cx - 5, top + side);
    ctx.lineTo(2 + 3, top + side);
    ctx.quadraticCurveTo(2, top + side, 2, top + side - 3);
    ctx.lineTo(2, top + 3);
    ctx.quadraticCurveTo(2, top, 2 + 3, top);
  } else {
    const cy = r + 2;
    ctx.arc(cx, cy, r, Math.PI * 0.8, Math.PI * 0.2);
    ctx.lineTo(cx, h - 2);
  }
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = COLORS.halo;
  if (fs) {
    ctx.font = `bold ${Math.round(w * 0.42)}px Marianne, Arial, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('FS', cx, 2 + (w - 4) / 2 + 1);
  } else {
    ctx.beginPath();
    ctx.arc(cx, r + 2, r * 0.38, 0, Math.PI * 2);
    ctx.fill();
  }
}

export const PIN_SIZE = {width: 26, height: 34};

export function pinImage(fs: boolean, ratio: number): Drawn {
  const [c, ctx] = canvas(PIN_SIZE.width, PIN_SIZE.height, ratio);
  drawPin(ctx, fs, PIN_SIZE.width, PIN_SIZE.height);
  return pixels(c);
}

/** The pin as a data: URL, for the legend. */
export function pinDataURL(fs: boolean): string {
  const [c, ctx] = canvas(PIN_SIZE.width, PIN_SIZE.height, 2);
  drawPin(ctx, fs, PIN_SIZE.width, PIN_SIZE.height);
  return c.toDataURL('image/png');
}

/** White count text for a cluster circle. */
export function countImage(text: string, ratio: number): Drawn {
  const size = 13;
  const w = Math.max(16, text.length * 8 + 4);
  const [c, ctx] = canvas(w, 18, ratio);
  ctx.font = `bold ${size}px Marianne, Arial, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#ffffff';
  ctx.fillText(text, w / 2, 9.5);
  return pixels(c);
}

/** Compact count: 1 234 → "1,2 k". */
export function shortCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10000) return `${(n / 1000).toFixed(1).replace('.', ',')} k`;
  return `${Math.round(n / 1000)} k`;
}

/** Marks of the dashboard: a hypothetical place (+), a removed place (×)
 * and numbered siting proposals. */
export const MARK_COLORS = {
  added: '#18753c', // vert, with a white "+"
  removed: '#3a3a3a', // gris foncé, with a white "×"
  proposal: '#6e445a', // prune, with the white rank
} as const;

function markWidth(text: string): number {
  return Math.max(24, text.length * 8 + 12);
}

function drawMark(ctx: CanvasRenderingContext2D, kind: 'ajout' | 'retrait' | 'proposition', text: string): void {
  const size = 24;
  const w = markWidth(text);
  ctx.lineWidth = 2;
  ctx.strokeStyle = COLORS.halo;
  ctx.fillStyle = kind === 'ajout' ? MARK_COLORS.added : kind === 'retrait' ? MARK_COLORS.removed : MARK_COLORS.proposal;
  ctx.beginPath();
  if (kind === 'proposition') {
    // A rounded square, a shape that differs from the places' circles.
    ctx.roundRect(1, 1, w - 2, size - 2, 5);
  } else {
    ctx.arc(w / 2, size / 2, size / 2 - 1, 0, Math.PI * 2);
  }
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = COLORS.halo;
  ctx.strokeStyle = COLORS.halo;
  if (kind === 'proposition') {
    ctx.font = 'bold 13px Marianne, Arial, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, w / 2, size / 2 + 1);
    return;
  }
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  const m = size / 2;
  const a = kind === 'ajout' ? 5.5 : 4.4;
  if (kind === 'ajout') {
    ctx.moveTo(m - a, m);
    ctx.lineTo(m + a, m);
    ctx.moveTo(m, m - a);
    ctx.lineTo(m, m + a);
  } else {
    ctx.moveTo(m - a, m - a);
    ctx.lineTo(m + a, m + a);
    ctx.moveTo(m + a, m - a);
    ctx.lineTo(m - a, m + a);
  }
  ctx.stroke();
}

export function markImage(kind: 'ajout' | 'retrait' | 'proposition', text: string, ratio: number): Drawn {
  const [c, ctx] = canvas(markWidth(text), 24, ratio);
  drawMark(ctx, kind, text);
  return pixels(c);
}

/** The mark as a data: URL, for the legend. */
export function markDataURL(kind: 'ajout' | 'retrait' | 'proposition', text = ''): string {
  const [c, ctx] = canvas(markWidth(text), 24, 2);
  drawMark(ctx, kind, text);
  return c.toDataURL('image/png');
}

function drawHatch(ctx: CanvasRenderingContext2D, s: number): void {
  ctx.strokeStyle = '#161616';
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  // Three strokes per tile so that tiles join without a gap.
  for (const o of [-s, 0, s]) {
    ctx.moveTo(o, s);
    ctx.lineTo(o + s, 0);
  }
  ctx.stroke();
}

/** Diagonal hatches (the white zones), tiled by fill-pattern. */
export function hatchImage(ratio: number): Drawn {
  const [c, ctx] = canvas(8, 8, ratio);
  drawHatch(ctx, 8);
  return pixels(c);
}

/** A hatched square on white, for the legend. */
export function hatchDataURL(): string {
  const [c, ctx] = canvas(16, 16, 2);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 16, 16);
  drawHatch(ctx, 8);
  ctx.translate(8, 0);
  drawHatch(ctx, 8);
  ctx.translate(-8, 8);
  drawHatch(ctx, 8);
  ctx.translate(8, 0);
  drawHatch(ctx, 8);
  return c.toDataURL('image/png');
}
