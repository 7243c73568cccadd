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
            None => closest_region(geography, name).map(|n| format!("did you mean `{n}`?")),
        };
        let count = geography.regions.len();
        let hint = hint.unwrap_or_else(|| {
            let mut english: Vec<&str> = geography
                .regions
                .iter()
                .map(|r| Geography::region_name(r, "en", "en"))
                .collect();
            english.sort_unstable();
            format!("the {count} {word}s are {}", join_code(&english))
        });
        problems.push(
            Diagnostic::error(
                Code::UnknownGovernorate,
                format!("`{name}` is not one of the {count} {word}s of {country}"),
            )
            .at(document.inner_location("place", "governorate"))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Geography {
        Geography {
            format: FORMAT.into(),
            source: String::new(),
            licence: String::new(),
            projection: "equirectangular".into(),
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
