#!/usr/bin/env node
'use strict';
/**
 * Draws fix_email_auth.png (48×48, RGBA) — the WHM icon for addon_plugins/ (docs/reference/cpanel-plugins.md §7.1:
 * 48×48 PNG with transparency) — from the same shapes as fix_email_auth.svg, with Node's zlib only,
 * so the committed binary can be rebuilt: `node plugin/icons/render-png.js`.
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const SIZE = 48;
const SAMPLES = 4; // supersampling per axis, for smooth edges

const BLUE = [0x1f, 0x6f, 0xeb];
const WHITE = [0xff, 0xff, 0xff];
const GREEN = [0x2d, 0xa4, 0x4e];

const roundedRect = (x, y, w, h, r) => (px, py) => {
  const dx = Math.max(x + r - px, 0, px - (x + w - r));
  const dy = Math.max(y + r - py, 0, py - (y + h - r));
  return dx * dx + dy * dy <= r * r;
};
const circle = (cx, cy, r) => (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
const segment = (ax, ay, bx, by, width) => (px, py) => {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(px - (ax + t * (bx - ax)), py - (ay + t * (by - ay))) <= width / 2;
};
const polyline = (points, width) => (px, py) => points.slice(1).some((p, i) => segment(points[i][0], points[i][1], p[0], p[1], width)(px, py));

// Painted in order, like the SVG.
const LAYERS = [
  [roundedRect(2, 2, 44, 44, 9), BLUE],
  [roundedRect(9, 14, 26, 19, 2), WHITE],
  [polyline([[10, 15.5], [22, 25], [34, 15.5]], 2.2), BLUE],
  [circle(35, 34, 10), WHITE],
  [circle(35, 34, 8), GREEN],
  [polyline([[30.8, 34.2], [33.9, 37.2], [39.4, 31.2]], 2.4), WHITE],
];

function pixel(x, y) {
  const sum = [0, 0, 0, 0];
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const px = x + (sx + 0.5) / SAMPLES;
      const py = y + (sy + 0.5) / SAMPLES;
      let color = null;
      for (const [inside, rgb] of LAYERS) if (inside(px, py)) color = rgb;
      if (color) {
        sum[0] += color[0];
        sum[1] += color[1];
        sum[2] += color[2];
        sum[3] += 1;
      }
    }
  }
  if (sum[3] === 0) return [0, 0, 0, 0];
  return [Math.round(sum[0] / sum[3]), Math.round(sum[1] / sum[3]), Math.round(sum[2] / sum[3]), Math.round((255 * sum[3]) / SAMPLES ** 2)];
}

function crc32(buffer) {
  let crc = ~0;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = [0]; // filter: none
  for (let x = 0; x < SIZE; x++) row.push(...pixel(x, y));
  rows.push(Buffer.from(row));
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method extras, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(__dirname, 'fix_email_auth.png'), png);
