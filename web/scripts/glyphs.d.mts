// Types of glyphs.mjs, for the unit tests.
export const SIZE: number;
export const BORDER: number;
export const RADIUS: number;
export const CUTOFF: number;
export const RANGES: number[];
export const STACKS: {name: string; file: string; ext: string}[];
export interface Glyph {id: number; width: number; height: number; left: number; top: number; advance: number; bitmap: Uint8Array}
export function encodeRange(name: string, start: number, glyphs: Glyph[]): Uint8Array;
export function writeGlyphs(outDir: string): string[];
