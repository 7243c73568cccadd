//! The map of incidents, drawn at build time: no tile server, no script.
//!
//! From the linked dossier and the site's [`Geography`], this module works
//! out what the map pages and the locator maps show: one marker per distinct
//! point (a document's own `lat`/`lon`, else its governorate's label point),
//! sized by the number of incidents there and shaped by their verification;
//! each region's outline and label; and the same facts as table rows. It
//! hands them to templates as Tera values in the plane of the map (see
//! [`Geography::project`]); the theme draws the SVG. Pure: no file is read
//! and nothing is rendered here.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::geography::{Geography, LonLat, point_of};
use crate::graph::{DocId, Graph};
use crate::model::{Collection, Count, Fields, Incident, Verification};

/// The radius of a marker for one incident, in units of the plane; a marker
/// for n incidents has √n times this radius, so its area grows with n.
const MARKER_RADIUS: f64 = 11.0;

/// How far below a region's centre (or the marker there) its label's
/// baseline sits, in units of the plane.
const LABEL_GAP: f64 = 22.0;

/// The verification a marker shows: the level its incidents share, `none`
/// when none states one, `mixed` when they differ.
fn level_of(incidents: &[&Incident]) -> &'static str {
    let mut levels = incidents.iter().map(|i| i.verification);
    let first = levels.next().flatten();
    if levels.any(|l| l != first) {
        return "mixed";
    }
    first.map_or("none", Verification::as_str)
}

/// The order the legend lists levels in, strongest first.
const LEVELS: [&str; 6] = [
    "confirmed",
    "corroborated",
    "single-source",
    "contested",
    "none",
    "mixed",
];

/// Incidents at one point of the map.
#[derive(Debug, Clone)]
pub struct Point {
    pub at: LonLat,
    /// Index into the geography's regions.
    pub region: Option<usize>,
    /// Sorted by date, then slug.
    pub incidents: Vec<DocId>,
}

/// Every point incidents are drawn at, in a stable order: larger groups
/// first (so that smaller markers are drawn over them), then west to east.
pub fn points(graph: &Graph, geography: &Geography) -> Vec<Point> {
    let mut by_point: BTreeMap<(i64, i64), Point> = BTreeMap::new();
    for id in graph.entries(Collection::Incidents) {
        let Fields::Incident(incident) = &graph.documents[id].fields else {
            continue;
        };
        let Some(place) = &incident.place else {
            continue;
        };
        let Some(at) = point_of(geography, place) else {
            continue;
        };
        let region = place
            .governorate
            .as_deref()
            .and_then(|name| geography.region(name))
            .or_else(|| geography.region_at(at))
            .and_then(|r| geography.regions.iter().position(|x| x.id == r.id));
        // A hundredth of a degree (about a kilometre) is one point.
        let key = (
            (at[0] * 100.0).round() as i64,
            (at[1] * 100.0).round() as i64,
        );
        by_point
            .entry(key)
            .or_insert_with(|| Point {
                at,
                region,
                incidents: Vec::new(),
            })
            .incidents
            .push(id);
    }
    let mut points: Vec<Point> = by_point.into_values().collect();
    for point in &mut points {
        point.incidents.sort_by(|&a, &b| {
            let date = |id: DocId| graph.documents[id].date().map(|d| d.sort_key());
            date(a)
                .cmp(&date(b))
                .then_with(|| graph.documents[a].slug.cmp(&graph.documents[b].slug))
        });
    }
    points.sort_by(|a, b| {
        b.incidents
            .len()
            .cmp(&a.incidents.len())
            .then(a.at[0].total_cmp(&b.at[0]))
            .then(a.at[1].total_cmp(&b.at[1]))
    });
    points
}

fn incident(graph: &Graph, id: DocId) -> Option<&Incident> {
    match &graph.documents[id].fields {
        Fields::Incident(incident) => Some(incident),
        _ => None,
    }
}

/// How a page links to what it shows: the page of a document as seen in
/// this language, the place page of a region.
pub struct Links<'a> {
    /// The summary of a document in the page's language (with `title` and
    /// `href`, relative to the site root).
    pub summary: &'a dyn Fn(DocId) -> Value,
    /// The place page of a governorate as editors write it, relative to the
    /// site root, when there is one.
    pub place: &'a dyn Fn(&str) -> Option<String>,
    pub lang: &'a str,
    pub default_language: &'a str,
}

#[derive(Serialize)]
struct MarkerView {
    x: f64,
    y: f64,
    r: f64,
    level: &'static str,
    count: usize,
    /// The incident's page, or the place page when several share the point.
    href: Option<String>,
    /// The incident's title, or the region's name for several.
    name: String,
    items: Vec<Value>,
}

#[derive(Serialize)]
struct RegionView {
    id: String,
    name: String,
    path: String,
    x: f64,
    y: f64,
    href: Option<String>,
}

#[derive(Serialize)]
struct Row {
    name: String,
    href: Option<String>,
    incidents: usize,
    /// The total of the counts given, a bound when any count is one.
    killed: Option<Count>,
}

#[derive(Serialize)]
struct MapView {
    width: u32,
    height: u32,
    country: String,
    outline: String,
    regions: Vec<RegionView>,
    markers: Vec<MarkerView>,
    /// The levels markers show, in legend order.
    levels: Vec<&'static str>,
    rows: Vec<Row>,
    /// Incidents on the map, and incidents with no place it can show.
    placed: usize,
    unplaced: usize,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// What `map.html` shows, in one language.
pub fn view(graph: &Graph, geography: &Geography, points: &[Point], links: &Links) -> Value {
    let region_name = |i: usize| {
        Geography::region_name(&geography.regions[i], links.lang, links.default_language)
    };
    // Place pages are named as editors write the region: in the default
    // language, else in another of its names (a region written in Arabic
    // in an English dossier).
    let region_place = |i: usize| {
        let region = &geography.regions[i];
        let written =
            Geography::region_name(region, links.default_language, links.default_language);
        (links.place)(written)
            .or_else(|| region.names.values().find_map(|name| (links.place)(name)))
    };
    let mut levels = Vec::new();
    let mut markers = Vec::new();
    for point in points {
        let incidents: Vec<&Incident> = point
            .incidents
            .iter()
            .filter_map(|&id| incident(graph, id))
            .collect();
        let level = level_of(&incidents);
        if !levels.contains(&level) {
            levels.push(level);
        }
        let items: Vec<Value> = point
            .incidents
            .iter()
            .map(|&id| (links.summary)(id))
            .collect();
        let text = |value: &Value, key: &str| {
            value
                .get_from_path(key)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let (name, href) = match (items.as_slice(), point.region) {
            ([one], _) => (text(one, "title").unwrap_or_default(), text(one, "href")),
            (_, Some(region)) => (region_name(region).to_string(), region_place(region)),
            (many, None) => (
                geography.names.get(links.lang).cloned().unwrap_or_default(),
                many.first().and_then(|v| text(v, "href")),
            ),
        };
        let (x, y) = geography.project(point.at);
        markers.push(MarkerView {
            x: round1(x),
            y: round1(y),
            r: round1(MARKER_RADIUS * (point.incidents.len() as f64).sqrt()),
            level,
            count: point.incidents.len(),
            href,
            name,
            items,
        });
    }
    levels.sort_by_key(|l| LEVELS.iter().position(|x| x == l));

    let regions: Vec<RegionView> = geography
        .regions
        .iter()
        .enumerate()
        .map(|(i, region)| {
            let (x, y) = geography.project(region.centroid);
            // The label goes below the marker at the region's centre, if any.
            let below = markers
                .iter()
                .filter(|m| (m.x - round1(x)).abs() < 1.0 && (m.y - round1(y)).abs() < 1.0)
                .map(|m| m.r)
                .fold(0.0, f64::max);
            RegionView {
                id: region.id.clone(),
                name: region_name(i).to_string(),
                path: geography.path(&region.outline),
                x: round1(x),
                y: round1(y + below + LABEL_GAP),
                href: region_place(i),
            }
        })
        .collect();

    // The table: one row per region with incidents, most incidents first.
    let mut per_region: BTreeMap<usize, (usize, Vec<Count>)> = BTreeMap::new();
    for point in points {
        let Some(region) = point.region else { continue };
        let entry = per_region.entry(region).or_default();
        for &id in &point.incidents {
            entry.0 += 1;
            entry
                .1
                .extend(incident(graph, id).and_then(|i| i.casualties.killed));
        }
    }
    let mut rows: Vec<Row> = per_region
        .into_iter()
        .map(|(region, (incidents, killed))| Row {
            name: region_name(region).to_string(),
            href: region_place(region),
            incidents,
            killed: Count::total(killed),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.incidents
            .cmp(&a.incidents)
            .then_with(|| a.name.cmp(&b.name))
    });

    let placed: usize = points.iter().map(|p| p.incidents.len()).sum();
    let total = graph.entries(Collection::Incidents).count();
    Value::from_serializable(&MapView {
        width: crate::geography::WIDTH as u32,
        height: geography.height() as u32,
        country: geography
            .names
            .get(links.lang)
            .or_else(|| geography.names.get(links.default_language))
            .cloned()
            .unwrap_or_default(),
        outline: geography.outline_path().to_string(),
        regions,
        markers,
        levels,
        rows,
        placed,
        unplaced: total - placed,
    })
}

#[derive(Serialize)]
struct LocatorView {
    width: u32,
    height: u32,
    outline: String,
    /// The point marked, when there is one.
    x: Option<f64>,
    y: Option<f64>,
    /// The region outlined, for a place page.
    region: Option<String>,
}

/// The locator map of an incident (its point) or of a place page (its
/// region and label point); `None` when there is nothing to mark.
pub fn locator(geography: &Geography, at: Option<LonLat>, region: Option<&str>) -> Option<Value> {
    // A map of coordinates alone has no country to place a point in.
    if geography.outline.is_empty() {
        return None;
    }
    let region = region.and_then(|name| geography.region(name));
    let at = at.or(region.map(|r| r.centroid))?;
    let (x, y) = geography.project(at);
    Some(Value::from_serializable(&LocatorView {
        width: crate::geography::WIDTH as u32,
        height: geography.height() as u32,
        outline: geography.outline_path().to_string(),
        x: Some(round1(x)),
        y: Some(round1(y)),
        region: region.map(|r| geography.path(&r.outline)),
    }))
}

/// The locator of an incident's page.
pub fn incident_locator(geography: &Geography, incident: &Incident) -> Option<Value> {
    let place = incident.place.as_ref()?;
    locator(geography, point_of(geography, place), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Place;

    fn incident(verification: Option<Verification>) -> Incident {
        Incident {
            date: crate::model::PartialDate::parse("2005").unwrap(),
            end_date: None,
            place: Some(Place {
                name: "x".into(),
                governorate: None,
                region: None,
                lat: None,
                lon: None,
                source: None,
            }),
            perpetrators: Vec::new(),
            verification,
            casualties: Default::default(),
            victims: None,
            sources: Vec::new(),
            demands: Vec::new(),
            accountability: Vec::new(),
        }
    }

    #[test]
    fn a_marker_shows_the_level_its_incidents_share() {
        let confirmed = incident(Some(Verification::Confirmed));
        let contested = incident(Some(Verification::Contested));
        let unstated = incident(None);
        assert_eq!(level_of(&[&confirmed, &confirmed]), "confirmed");
        assert_eq!(level_of(&[&confirmed, &contested]), "mixed");
        assert_eq!(level_of(&[&unstated]), "none");
        assert_eq!(level_of(&[&unstated, &confirmed]), "mixed");
    }
}
