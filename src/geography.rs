//! The geography a theme or a site ships (`data/geography.json`): a country's
//! outline, its regions (governorates, provinces...) with their names in each
//! language and a label point each, its bounding box and the projection maps
//! are drawn in. The engine knows no country: everything about one is in this
//! file.
//!
//! This module reads the file into [`Geography`] (a located diagnostic when it
//! is malformed), projects coordinates onto the plane of the maps, and checks
//! the `place` of every incident against it: a region that is not one of the
//! file's, coordinates outside the bounding box. It never reads a file
//! itself; discovery hands it the text.
//!
//! It also holds the geography of every country, made from Natural Earth by
//! `scripts/make-geography.mjs` and embedded in the binary, from which
//! `dossier init --country` and `dossier geography` write a dossier's file
//! ([`file_for`]). A build reads the embedded data only to name the country
//! of a division its map lacks: a dossier's map is the file it has.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Location, closest, join_code};
use crate::graph::Graph;
use crate::model::{Document, Fields, Place};

/// Where a theme or a site keeps its geography, relative to its folder.
pub const FILE: &str = "data/geography.json";

/// The text of a geography file, as discovery found it.
#[derive(Debug, Clone)]
pub struct GeographyFile {
    /// Relative to the site root: how diagnostics name it.
    pub path: PathBuf,
    pub text: String,
}

/// A point: longitude, then latitude, in degrees.
pub type LonLat = [f64; 2];

/// A closed ring of points (the last joins the first).
pub type Ring = Vec<LonLat>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geography {
    /// `dossier-geography/1`.
    pub format: String,
    /// Where the data comes from, and how it was converted.
    pub source: String,
    pub licence: String,
    /// Only `equirectangular` is drawn: x is the longitude scaled by the
    /// cosine of the middle latitude, y the latitude.
    pub projection: String,
    /// The ISO 3166-1 alpha-2 codes of the countries the file covers.
    #[serde(default)]
    pub countries: Vec<String>,
    /// What the countries call their first-level division (`governorate`,
    /// `province`, `state`...), from Natural Earth: the interface strings
    /// that name a division take their `__<division>` variant.
    #[serde(default)]
    pub division: Option<String>,
    /// What a region is called ("governorate"), by language.
    #[serde(default)]
    pub region_word: std::collections::BTreeMap<String, String>,
    /// The country's name, by language.
    pub names: std::collections::BTreeMap<String, String>,
    /// West, south, east, north, in degrees.
    pub bbox: [f64; 4],
    pub outline: Vec<Ring>,
    pub regions: Vec<Region>,
    /// The outline as an SVG path, made the first time a page needs it:
    /// every incident's locator map draws it.
    #[serde(skip)]
    outline_path: OnceLock<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// A stable code (ISO 3166-2 where there is one).
    pub id: String,
    /// By language; editors may write any of them in `governorate`.
    pub names: std::collections::BTreeMap<String, String>,
    /// Other spellings, not accepted but recognised, so that the diagnostic
    /// can name the spelling to use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where the region's markers and label go when a document gives no
    /// coordinates.
    pub centroid: LonLat,
    #[serde(default)]
    pub outline: Vec<Ring>,
}

/// How many times taller than wide a map may be: Chile, the tallest of
/// countries, is about five. A sliver of a bounding box would otherwise
/// scale every point of the map to numbers of hundreds of digits.
pub const TALLEST: f64 = 10.0;

/// The format this version of dossier reads.
pub const FORMAT: &str = "dossier-geography/1";

/// The width of the plane maps are drawn on; the height follows from the
/// bounding box.
pub const WIDTH: f64 = 1000.0;

impl Geography {
    /// Reads a geography file. A malformed one is a diagnostic at the
    /// position serde stopped at.
    pub fn parse(file: &GeographyFile) -> Result<Geography, Diagnostic> {
        let geography: Geography = serde_json::from_str(&file.text).map_err(|error| {
            let line = error.line().max(1);
            let column = error.column().max(1);
            let message = error.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            Diagnostic::error(
                Code::BadGeography,
                format!("the geography file cannot be read: {message}"),
            )
            .at(Location::line_column(
                &file.path, &file.text, line, column, 1,
            ))
            .hint("the file is made by `scripts/make-geography.mjs`; see its opening comment")
        })?;
        let whole = || Location::at(&file.path, &file.text, 0, 0);
        if geography.format != FORMAT {
            return Err(Diagnostic::error(
                Code::BadGeography,
                format!(
                    "the geography file is in the format `{}`, not `{FORMAT}`",
                    geography.format
                ),
            )
            .at(whole()));
        }
        if geography.projection != "equirectangular" {
            return Err(Diagnostic::error(
                Code::BadGeography,
                format!(
                    "the geography file asks for the projection `{}`",
                    geography.projection
                ),
            )
            .at(whole())
            .hint("only `equirectangular` is drawn"));
        }
        let [west, south, east, north] = geography.bbox;
        let on_the_globe = (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north);
        if !(west < east && south < north && on_the_globe) {
            return Err(Diagnostic::error(
                Code::BadGeography,
                "the geography file's `bbox` is not [west, south, east, north]",
            )
            .at(whole())
            .hint("longitudes run from -180 to 180, latitudes from -90 to 90"));
        }
        if geography.height() > TALLEST * WIDTH {
            return Err(Diagnostic::error(
                Code::BadGeography,
                format!(
                    "the map would be more than {TALLEST} times as tall as it is wide: the geography file's `bbox` is a sliver"
                ),
            )
            .at(whole())
            .hint("check the `bbox` for a typo: [west, south, east, north], in degrees"));
        }
        Ok(geography)
    }

    /// The region an editor named, by any of its names.
    pub fn region(&self, name: &str) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.names.values().any(|n| n == name))
    }

    /// The name of a region shown in `lang`, else in `default`.
    pub fn region_name<'a>(region: &'a Region, lang: &str, default: &str) -> &'a str {
        region
            .names
            .get(lang)
            .or_else(|| region.names.get(default))
            .or_else(|| region.names.values().next())
            .map_or(region.id.as_str(), String::as_str)
    }

    /// The region whose outline holds a point.
    pub fn region_at(&self, point: LonLat) -> Option<&Region> {
        self.regions
            .iter()
            .find(|r| r.outline.iter().any(|ring| ring_holds(ring, point)))
    }

    pub fn contains(&self, [lon, lat]: LonLat) -> bool {
        let [west, south, east, north] = self.bbox;
        (west..=east).contains(&lon) && (south..=north).contains(&lat)
    }

    /// The cosine of the middle latitude: how much narrower a degree of
    /// longitude is than a degree of latitude there.
    fn aspect(&self) -> f64 {
        let [_, south, _, north] = self.bbox;
        ((south + north) / 2.0).to_radians().cos()
    }

    /// Units of the plane per degree of latitude.
    fn scale(&self) -> f64 {
        let [west, _, east, _] = self.bbox;
        WIDTH / ((east - west) * self.aspect())
    }

    /// The height of the plane, for a width of [`WIDTH`].
    pub fn height(&self) -> f64 {
        let [_, south, _, north] = self.bbox;
        ((north - south) * self.scale()).round()
    }

    /// A point on the plane: x grows eastwards, y southwards, from the
    /// bounding box's north-west corner. A point far outside the box (a
    /// region's label point or outline in another hemisphere) is drawn at
    /// most one map's width or height beyond its edge, off the map either
    /// way, so that no number printed for the map grows with the distance.
    pub fn project(&self, [lon, lat]: LonLat) -> (f64, f64) {
        let [west, south, _, north] = self.bbox;
        let scale = self.scale();
        let height = (north - south) * scale;
        (
            ((lon - west) * self.aspect() * scale).clamp(-WIDTH, 2.0 * WIDTH),
            ((north - lat) * scale).clamp(-height, 2.0 * height),
        )
    }

    /// An SVG path of rings, in whole units of the plane (a tenth of a
    /// kilometre is more than a map of this size can show).
    /// The country's outline as an SVG path ([`Geography::path`]).
    pub fn outline_path(&self) -> &str {
        self.outline_path.get_or_init(|| self.path(&self.outline))
    }

    pub fn path(&self, rings: &[Ring]) -> String {
        let mut path = String::new();
        for ring in rings {
            for (i, &point) in ring.iter().enumerate() {
                let (x, y) = self.project(point);
                path.push(if i == 0 { 'M' } else { 'L' });
                path.push_str(&format!("{:.0} {:.0}", x, y));
            }
            path.push('Z');
        }
        path
    }
}

/// Whether a closed ring holds a point (even-odd rule).
fn ring_holds(ring: &[LonLat], [x, y]: LonLat) -> bool {
    let mut inside = false;
    let mut previous = match ring.last() {
        Some(&p) => p,
        None => return false,
    };
    for &[x1, y1] in ring {
        let [x0, y0] = previous;
        if (y1 > y) != (y0 > y) && x < (x0 - x1) * (y - y1) / (y0 - y1) + x1 {
            inside = !inside;
        }
        previous = [x1, y1];
    }
    inside
}

/// Where an incident is drawn: its own coordinates, else its region's label
/// point; `None` when it has neither (or names no known region).
pub fn point_of(geography: &Geography, place: &Place) -> Option<LonLat> {
    if let (Some(lat), Some(lon)) = (place.lat, place.lon) {
        return Some([lon, lat]);
    }
    let region = geography.region(place.governorate.as_deref()?)?;
    Some(region.centroid)
}

/// A frame for the map of a dossier with no geography file: the box around
/// every incident's coordinates with a margin, and no outline or region, so
/// that markers stand by their coordinates alone; none when no incident
/// gives coordinates.
pub fn around_incidents(graph: &Graph) -> Option<Geography> {
    let mut box_ = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for document in &graph.documents {
        let Fields::Incident(incident) = &document.fields else {
            continue;
        };
        let Some((Some(lat), Some(lon))) = incident.place.as_ref().map(|p| (p.lat, p.lon)) else {
            continue;
        };
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            box_ = [
                box_[0].min(lon),
                box_[1].min(lat),
                box_[2].max(lon),
                box_[3].max(lat),
            ];
        }
    }
    let [west, south, east, north] = box_;
    if west > east {
        return None;
    }
    // A tenth of the extent around the points, at least half a degree, and
    // no side shorter than a fifth of the other, so that the map is neither
    // a point nor a sliver.
    let extent = (east - west).max(north - south);
    let margin = (extent / 10.0).max(0.5);
    let (x, y) = (
        (extent / 5.0 - (east - west)).max(0.0) / 2.0,
        (extent / 5.0 - (north - south)).max(0.0) / 2.0,
    );
    let floor = |v: f64| (v * 10.0).floor() / 10.0;
    let ceil = |v: f64| (v * 10.0).ceil() / 10.0;
    Some(Geography {
        format: FORMAT.into(),
        source: "the incidents' coordinates".into(),
        licence: String::new(),
        projection: "equirectangular".into(),
        countries: Vec::new(),
        division: None,
        region_word: Default::default(),
        names: Default::default(),
        bbox: [
            floor((west - margin - x).max(-180.0)),
            floor((south - margin - y).max(-90.0)),
            ceil((east + margin + x).min(180.0)),
            ceil((north + margin + y).min(90.0)),
        ],
        outline: Vec::new(),
        regions: Vec::new(),
        outline_path: OnceLock::new(),
    })
}

/// The checks on every incident's `place`: `lat` and `lon` go together
/// (always, as one alone places nothing); with geography data, the
/// governorate is one of its regions and the coordinates are inside its
/// bounding box.
pub fn check(graph: &Graph, geography: Option<&Geography>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for document in &graph.documents {
        let Fields::Incident(incident) = &document.fields else {
            continue;
        };
        let Some(place) = &incident.place else {
            continue;
        };
        check_place(document, place, geography, &mut problems);
    }
    problems
}

fn check_place(
    document: &Document,
    place: &Place,
    geography: Option<&Geography>,
    problems: &mut Vec<Diagnostic>,
) {
    match (place.lat, place.lon) {
        (Some(_), None) => problems.push(
            Diagnostic::error(Code::HalfCoordinate, "`place` has `lat` but no `lon`")
                .at(document.inner_key_location("place", "lat"))
                .hint("give both `lat` and `lon`, or neither"),
        ),
        (None, Some(_)) => problems.push(
            Diagnostic::error(Code::HalfCoordinate, "`place` has `lon` but no `lat`")
                .at(document.inner_key_location("place", "lon"))
                .hint("give both `lat` and `lon`, or neither"),
        ),
        _ => {}
    }
    let Some(geography) = geography else {
        return;
    };
    let country = geography
        .names
        .get("en")
        .or_else(|| geography.names.values().next())
        .map_or("the map", String::as_str);
    let word = geography
        .region_word
        .get("en")
        .map_or("region", String::as_str);
    if let Some(name) = &place.governorate
        && geography.region(name).is_none()
    {
        let mut names: Vec<&str> = geography
            .regions
            .iter()
            .flat_map(|r| r.names.values().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        let alias = geography.regions.iter().find(|r| {
            r.aliases
                .iter()
                .chain(r.names.values())
                .any(|a| a.eq_ignore_ascii_case(name))
        });
        let hint = match alias {
            Some(region) => Some(format!(
                "did you mean `{}`?",
                Geography::region_name(region, "en", "en")
            )),
            None => closest_region(geography, name)
                .map(|n| format!("did you mean `{n}`?"))
                .or_else(|| in_another_country(geography, name)),
        };
        let count = geography.regions.len();
        let hint = hint.unwrap_or_else(|| {
            let mut english: Vec<&str> = geography
                .regions
                .iter()
                .map(|r| Geography::region_name(r, "en", "en"))
                .collect();
            english.sort_unstable();
            format!("the {count} {} are {}", plural(word), join_code(&english))
        });
        problems.push(
            Diagnostic::error(
                Code::UnknownGovernorate,
                format!(
                    "`{name}` is not one of the {count} {} of {country}",
                    plural(word)
                ),
            )
            .at(document.inner_location("place", division_key(document)))
            .hint(hint),
        );
    }
    // Coordinates off the globe are already an error of their own.
    if let (Some(lat), Some(lon)) = (place.lat, place.lon)
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
        && !geography.contains([lon, lat])
    {
        let [west, south, east, north] = geography.bbox;
        let wrong_lat = !(south..=north).contains(&lat);
        let key = if wrong_lat { "lat" } else { "lon" };
        let swapped = geography.contains([lat, lon]);
        let hint = if swapped {
            "`lat` and `lon` look swapped: `lat` is north–south, `lon` east–west".to_string()
        } else {
            format!(
                "{country} lies between latitudes {south} and {north} and longitudes {west} and {east}"
            )
        };
        problems.push(
            Diagnostic::error(
                Code::OutsideTheCountry,
                format!("`lat: {lat}, lon: {lon}` is outside {country}"),
            )
            .at(document.inner_location("place", key))
            .hint(hint),
        );
    }
}

/// When `name` is a division of a country the map does not show: "did you
/// mean to map it too?", with the command that does. Reads the embedded
/// data of every country, which only this mistake needs.
fn in_another_country(geography: &Geography, name: &str) -> Option<String> {
    let other = countries().iter().find(|c| {
        !geography.countries.contains(&c.code)
            && c.geography
                .get("regions")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|regions| {
                    regions.iter().any(|r| {
                        r.get("names")
                            .and_then(serde_json::Value::as_object)
                            .is_some_and(|names| names.values().any(|n| n == name))
                    })
                })
    })?;
    let mut codes = geography.countries.clone();
    codes.push(other.code.clone());
    Some(format!(
        "`{name}` is a {} of {}: did you mean to map {} too? Run `dossier geography {}`",
        other.division(),
        other.name("en"),
        other.name("en"),
        codes.join(",")
    ))
}

/// The key a document wrote its place's division under: `region`, or
/// `governorate`, its older name.
fn division_key(document: &Document) -> &'static str {
    let written = document
        .span("place")
        .and_then(|span| span.inner_key(&document.source, "region"));
    if written.is_some() {
        "region"
    } else {
        "governorate"
    }
}

/// "did you mean" only when a name is close to what was written.
fn closest_region<'a>(geography: &'a Geography, wanted: &str) -> Option<&'a str> {
    let lower = wanted.to_lowercase();
    let mut candidates: Vec<(String, &'a str)> = Vec::new();
    for region in &geography.regions {
        let english = Geography::region_name(region, "en", "en");
        for name in region.names.values().chain(&region.aliases) {
            candidates.push((name.to_lowercase(), english));
        }
    }
    let best = closest(&lower, candidates.iter().map(|(n, _)| n.as_str()))?;
    if strsim::jaro_winkler(&lower, best) < 0.85 {
        return None;
    }
    candidates
        .iter()
        .find(|(n, _)| n == best)
        .map(|(_, english)| *english)
}

/// The geography of every country, as `scripts/make-geography.mjs` wrote
/// it: gzip'd lines, the first saying where the data comes from, then one a
/// country, `XX XXX {...}`, its ISO 3166-1 alpha-2 and alpha-3 codes and its
/// geography in this module's format.
static COUNTRIES: &[u8] = include_bytes!("countries.txt.gz");

type JsonMap = serde_json::Map<String, serde_json::Value>;

/// One country of the embedded data.
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: String,
    /// ISO 3166-1 alpha-3, upper case.
    pub alpha3: String,
    /// Its geography, as the file holds it.
    geography: JsonMap,
}

impl Country {
    /// The country's name in `lang`, else in English.
    pub fn name(&self, lang: &str) -> &str {
        let names = self.geography.get("names");
        names
            .and_then(|n| n.get(lang).or_else(|| n.get("en")))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(&self.code)
    }

    /// What its first-level division is called, in English.
    pub fn division(&self) -> &str {
        self.geography
            .get("division")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("region")
    }

    /// How many divisions it has.
    pub fn region_count(&self) -> usize {
        self.geography
            .get("regions")
            .and_then(serde_json::Value::as_array)
            .map_or(0, Vec::len)
    }
}

/// Every country of the embedded data, by code; unpacked the first time it
/// is asked for (init and `dossier geography` only).
pub fn countries() -> &'static [Country] {
    static UNPACKED: OnceLock<Vec<Country>> = OnceLock::new();
    UNPACKED.get_or_init(|| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(COUNTRIES), &mut text)
            .expect("the embedded geography is gzip'd text");
        text.lines()
            .skip(1)
            .filter_map(|line| {
                let mut parts = line.splitn(3, ' ');
                let (code, alpha3, json) = (parts.next()?, parts.next()?, parts.next()?);
                Some(Country {
                    code: code.to_string(),
                    alpha3: alpha3.to_string(),
                    geography: serde_json::from_str(json).ok()?,
                })
            })
            .collect()
    })
}

/// The country a user named by its code (alpha-2 or alpha-3, in any case),
/// else a sentence saying so, with the country they may have meant.
pub fn country(written: &str) -> Result<&'static Country, String> {
    let wanted = written.trim().to_uppercase();
    let all = countries();
    if let Some(found) = all.iter().find(|c| c.code == wanted || c.alpha3 == wanted) {
        return Ok(found);
    }
    // A name, or a near one, is the likeliest mistake.
    let lower = written.trim().to_lowercase();
    let names: Vec<(String, &Country)> = all
        .iter()
        .flat_map(|c| {
            let names = c
                .geography
                .get("names")
                .and_then(serde_json::Value::as_object);
            names
                .into_iter()
                .flat_map(|n| n.values())
                .filter_map(serde_json::Value::as_str)
                .map(move |name| (name.to_lowercase(), c))
        })
        .collect();
    let meant = names
        .iter()
        .map(|(name, c)| (strsim::jaro_winkler(&lower, name), *c))
        .filter(|(similar, _)| *similar >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c);
    let hint = match meant {
        Some(c) => format!("did you mean `{}` ({})?", c.code, c.name("en")),
        None => "countries are named by their two-letter ISO 3166-1 code, such as `IQ` for Iraq or `CO` for Colombia".to_string(),
    };
    Err(format!("`{written}` is not a country code: {hint}"))
}

/// The countries a user named, each by its code; the first unknown one is
/// a sentence saying so.
pub fn countries_named(written: &[String]) -> Result<Vec<&'static Country>, String> {
    let mut found: Vec<&'static Country> = Vec::new();
    for one in written {
        let country = country(one)?;
        if !found.iter().any(|c| c.code == country.code) {
            found.push(country);
        }
    }
    Ok(found)
}

/// What a file for these countries holds, in words: "Syria (14
/// governorates)".
pub fn describe(countries: &[&Country]) -> String {
    let each: Vec<String> = countries
        .iter()
        .map(|c| {
            let count = c.region_count();
            let word = if count == 1 {
                c.division().to_string()
            } else {
                plural(c.division())
            };
            format!("{} ({count} {word})", c.name("en"))
        })
        .collect();
    each.join(", ")
}

/// An English word's plural, for the words Natural Earth names divisions
/// with ("county", "province", "oblast").
pub fn plural(word: &str) -> String {
    match word.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ if word.ends_with('s') => format!("{word}es"),
        _ => format!("{word}s"),
    }
}

/// The text of a `data/geography.json` for one country or several (the
/// countries' outlines and divisions together, with a bounding box around
/// all of them), laid out one region a line so that it reads as a diff.
pub fn file_for(countries: &[&Country]) -> String {
    let mut merged = countries
        .first()
        .map(|c| c.geography.clone())
        .unwrap_or_default();
    for other in countries.iter().skip(1) {
        merge(&mut merged, &other.geography);
    }
    let mut lines = Vec::new();
    for (key, value) in &merged {
        let key = serde_json::to_string(key).expect("a string is JSON");
        match (key.as_str(), value.as_array()) {
            ("\"regions\"", Some(regions)) => {
                let regions: Vec<String> = regions.iter().map(|r| r.to_string()).collect();
                lines.push(format!("{key}:[\n{}\n]", regions.join(",\n")));
            }
            _ => lines.push(format!("{key}:{value}")),
        }
    }
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// Adds another country's geography to a file: its code, outline and
/// divisions, its name after a comma, and a bounding box around both; a
/// division word the two do not share becomes the neutral `region`.
fn merge(into: &mut JsonMap, other: &JsonMap) {
    use serde_json::Value;
    for key in ["countries", "outline", "regions"] {
        if let (Some(Value::Array(mine)), Some(Value::Array(theirs))) =
            (into.get_mut(key), other.get(key))
        {
            mine.extend(theirs.iter().cloned());
        }
    }
    if let (Some(Value::Object(mine)), Some(Value::Object(theirs))) =
        (into.get_mut("names"), other.get("names"))
    {
        mine.retain(|lang, _| theirs.contains_key(lang));
        for (lang, name) in mine.iter_mut() {
            let comma = if lang == "ar" { "، " } else { ", " };
            let theirs = theirs[lang].as_str().unwrap_or_default();
            *name = Value::from(format!(
                "{}{comma}{theirs}",
                name.as_str().unwrap_or_default()
            ));
        }
    }
    if into.get("division") != other.get("division") {
        into.insert("division".into(), Value::from("region"));
        into.insert(
            "region_word".into(),
            serde_json::json!({"en": "region", "ar": "منطقة"}),
        );
    }
    let bbox = |map: &JsonMap| -> Option<[f64; 4]> {
        serde_json::from_value(map.get("bbox")?.clone()).ok()
    };
    if let (Some(a), Some(b)) = (bbox(into), bbox(other)) {
        let joined = [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ];
        into.insert("bbox".into(), serde_json::json!(joined));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Geography {
        Geography {
            format: FORMAT.into(),
            source: String::new(),
            licence: String::new(),
            projection: "equirectangular".into(),
            countries: Vec::new(),
            division: None,
            region_word: Default::default(),
            names: [("en".to_string(), "Squareland".to_string())].into(),
            bbox: [10.0, 0.0, 20.0, 10.0],
            outline: vec![vec![[10.0, 0.0], [20.0, 0.0], [20.0, 10.0], [10.0, 10.0]]],
            regions: Vec::new(),
            outline_path: OnceLock::new(),
        }
    }

    #[test]
    fn projection_keeps_north_up_and_east_right() {
        let g = square();
        let (x0, y0) = g.project([10.0, 10.0]);
        let (x1, y1) = g.project([20.0, 0.0]);
        assert_eq!((x0.round(), y0.round()), (0.0, 0.0));
        assert_eq!(x1.round(), WIDTH);
        assert!(
            y1 > WIDTH,
            "a degree of latitude is longer than one of longitude at 5°N"
        );
        assert_eq!(g.height(), y1.round());
    }

    #[test]
    fn a_point_far_outside_the_box_is_drawn_just_off_the_map() {
        let g = square();
        let (x, y) = g.project([-179.0, -89.0]);
        assert_eq!((x, y), (-WIDTH, 2.0 * g.project([20.0, 0.0]).1));
        let (x, y) = g.project([179.0, 89.0]);
        assert_eq!((x, y), (2.0 * WIDTH, -g.project([20.0, 0.0]).1));
    }

    #[test]
    fn a_ring_holds_the_points_inside_it() {
        let g = square();
        assert!(ring_holds(&g.outline[0], [15.0, 5.0]));
        assert!(!ring_holds(&g.outline[0], [25.0, 5.0]));
        assert!(!ring_holds(&g.outline[0], [15.0, -1.0]));
    }

    #[test]
    fn paths_close_every_ring() {
        let g = square();
        let path = g.path(&g.outline);
        // The first corner is the south-west one: left, at the bottom.
        assert!(path.starts_with(&format!("M0 {}L", g.height())), "{path}");
        assert!(path.ends_with('Z'));
        assert_eq!(path.matches('L').count(), 3);
    }
}
