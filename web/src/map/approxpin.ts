// The pin of a place known only by its commune (placed at the commune's
// anchor): hollow, so that it reads as "somewhere around here", in the
// colour of its kind (place or France Services), drawn on a canvas like the
// other pins.

import {COLORS, PIN_SIZE, type Drawn} from './images.ts';

function draw(ctx: CanvasRenderingContext2D, fs: boolean, w: number, h: number): void {
  const color = fs ? COLORS.franceServices : COLORS.place;
  const cx = w / 2;
  const r = w / 2 - 3;
  const cy = r + 3;
  ctx.beginPath();
  ctx.arc(cx, cy, r, Math.PI * 0.8, Math.PI * 0.2);
  ctx.lineTo(cx, h - 3);
  ctx.closePath();
  // White halo, white inside, coloured dashed outline.
  ctx.lineWidth = 5;
  ctx.strokeStyle = COLORS.halo;
  ctx.stroke();
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fill();
  ctx.lineWidth = 2.5;
  ctx.strokeStyle = color;
  ctx.setLineDash([4, 2.5]);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.arc(cx, cy, 2.2, 0, Math.PI * 2);
  ctx.fill();
}

function canvas(ratio: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const c = document.createElement('canvas');
  c.width = Math.ceil(PIN_SIZE.width * ratio);
  c.height = Math.ceil(PIN_SIZE.height * ratio);
  const ctx = c.getContext('2d', {willReadFrequently: true});
  if (!ctx) throw new Error('canvas 2D indisponible');
  ctx.scale(ratio, ratio);
  draw(ctx, false, PIN_SIZE.width, PIN_SIZE.height);
  return [c, ctx];
}

/** The hollow pin as pixels, for the map. */
export function approxPinImage(fs: boolean, ratio: number): Drawn {
  const [c, ctx] = canvas(ratio);
  if (fs) {
    ctx.clearRect(0, 0, PIN_SIZE.width, PIN_SIZE.height);
    draw(ctx, true, PIN_SIZE.width, PIN_SIZE.height);
  }
  const img = ctx.getImageData(0, 0, c.width, c.height);
  return {width: c.width, height: c.height, data: img.data};
}

/** The hollow pin as a data: URL, for the legend. */
export function approxPinDataURL(): string {
  return canvas(2)[0].toDataURL('image/png');
}

/** Image names of the hollow pins. */
export const APPROX_PIN = 'epingle-approx';
export const APPROX_PIN_FS = 'epingle-fs-approx';
