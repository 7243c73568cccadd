//! The CSV exports, one per collection (figures: one row per estimate).
//! Each collection's row is a struct whose field names are the columns, in
//! order; the `csv` crate writes it (RFC 4180 quoting, CRLF line ends).
//! Every row ends with the document's title, summary and URL in each other
//! language (`title_ar`, `summary_ar`, `url_ar`), empty where it is not
//! translated, so that a reuser can publish either language.
//!
//! Every cell is text: a cell a spreadsheet would run as a formula gets a
//! leading `'` ([`crate::safety::csv_cell`]); numbers are left as they are.
//! Pure: it returns bytes.

use serde::{Serialize, Serializer};

use crate::config::Config;
use crate::graph::Graph;
use crate::model::{Collection, Count, Document, Fields, PartialDate, SourceRef};
use crate::urls::document_url;

use super::{published, url_of};

/// A cell, neutralised against formula injection as it is written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Cell(String);

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&crate::safety::csv_cell(&self.0))
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell(text.to_string())
    }
}

impl From<&Option<String>> for Cell {
    fn from(text: &Option<String>) -> Cell {
        Cell(text.clone().unwrap_or_default())
    }
}

impl From<Option<PartialDate>> for Cell {
    fn from(date: Option<PartialDate>) -> Cell {
        Cell(date.map(|d| d.to_string()).unwrap_or_default())
    }
}

impl From<Option<f64>> for Cell {
    fn from(number: Option<f64>) -> Cell {
        Cell(number.map(|n| n.to_string()).unwrap_or_default())
    }
}

/// The slugs and URLs of a list of references, each joined with `;` (slugs
/// never contain one).
#[derive(Debug, Default, Serialize)]
struct Refs {
    slugs: Cell,
    urls: Cell,
}

/// Source references: slugs, URLs, locators and quotes, each joined with
/// `;` in the order written (an empty entry where a reference gives no
/// locator or quote; an empty cell where none does).
#[derive(Debug, Default, Serialize)]
struct SourceRefs {
    slugs: Cell,
    urls: Cell,
    locators: Cell,
    quotes: Cell,
}

/// A count's kind and bounds, each empty where the count has none.
#[derive(Debug, Default, Serialize)]
struct CountCells {
    kind: Cell,
    min: Cell,
    max: Cell,
}

/// The text of a document in one other language.
#[derive(Debug, Default, Serialize)]
struct Translated {
    title: Cell,
    summary: Cell,
    url: Cell,
}

#[derive(Debug, Default, Serialize)]
struct DemandRow {
    slug: Cell,
    title: Cell,
    url: Cell,
    kind: Cell,
    status: Cell,
    first_raised: Cell,
    addressees: Cell,
    addressee_urls: Cell,
    raised_by: Cell,
    raised_by_urls: Cell,
    incidents: Cell,
    incident_urls: Cell,
    sources: Cell,
    source_urls: Cell,
    source_locators: Cell,
    source_quotes: Cell,
    reviewed: Cell,
    summary: Cell,
    tags: Cell,
}

#[derive(Debug, Default, Serialize)]
struct IncidentRow {
    slug: Cell,
    title: Cell,
    url: Cell,
    date: Cell,
    end_date: Cell,
    place: Cell,
    governorate: Cell,
    lat: Cell,
    lon: Cell,
    located_by: Cell,
    place_source: Cell,
    place_locator: Cell,
    place_quote: Cell,
    perpetrators: Cell,
    perpetrator_urls: Cell,
    verification: Cell,
    killed_kind: Cell,
    killed_min: Cell,
    killed_max: Cell,
    injured_kind: Cell,
    injured_min: Cell,
    injured_max: Cell,
    detained_kind: Cell,
    detained_min: Cell,
    detained_max: Cell,
    victims: Cell,
    sources: Cell,
    source_urls: Cell,
    source_locators: Cell,
    source_quotes: Cell,
    demands: Cell,
    demand_urls: Cell,
    summary: Cell,
    tags: Cell,
}

#[derive(Debug, Default, Serialize)]
struct ActorRow {
    slug: Cell,
    title: Cell,
    url: Cell,
    kind: Cell,
    country: Cell,
    part_of: Cell,
    part_of_url: Cell,
    summary: Cell,
    tags: Cell,
}

#[derive(Debug, Default, Serialize)]
struct SourceRow {
    slug: Cell,
    title: Cell,
    url: Cell,
    kind: Cell,
    publisher: Cell,
    publisher_url: Cell,
    authors: Cell,
    date: Cell,
    original_url: Cell,
    archive_url: Cell,
    archive_file: Cell,
    perspective: Cell,
    summary: Cell,
    tags: Cell,
}

#[derive(Debug, Default, Serialize)]
struct EstimateRow {
    slug: Cell,
    title: Cell,
    url: Cell,
    unit: Cell,
    estimate: Cell,
    kind: Cell,
    min: Cell,
    max: Cell,
    what: Cell,
    scope: Cell,
    method: Cell,
    period_from: Cell,
    period_to: Cell,
    source: Cell,
    source_url: Cell,
    locator: Cell,
    quote: Cell,
}

/// The column names of a row type: its fields, in order (the JSON of an
/// empty row keeps them in declaration order).
fn columns<R: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(R::default()) {
        Ok(serde_json::Value::Object(fields)) => fields.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Writes one collection's CSV: the header, then each row with its
/// translations.
struct Table<'g> {
    graph: &'g Graph,
    config: &'g Config,
    /// The site's other languages, in `site.toml`'s order.
    others: Vec<&'g String>,
    writer: ::csv::Writer<Vec<u8>>,
}

impl<'g> Table<'g> {
    fn new<R: Serialize + Default>(graph: &'g Graph, config: &'g Config) -> Table<'g> {
        let others: Vec<&String> = config
            .languages
            .keys()
            .filter(|code| !config.is_default_language(code))
            .collect();
        let mut writer = ::csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut header = columns::<R>();
        for code in &others {
            header.extend(["title", "summary", "url"].map(|f| format!("{f}_{code}")));
        }
        // Writing into memory does not fail.
        let _ = writer.write_record(&header);
        Table {
            graph,
            config,
            others,
            writer,
        }
    }

    fn row<R: Serialize>(&mut self, row: R, document: &Document) {
        let translations: Vec<Translated> = self
            .others
            .iter()
            .map(
                |code| match self.graph.get_in(document.kind, &document.slug, Some(code)) {
                    Some(id) if self.graph.documents[id].lang == **code => {
                        let t = &self.graph.documents[id];
                        Translated {
                            title: t.common.title.as_str().into(),
                            summary: (&t.common.summary).into(),
                            url: document_url(t, self.config).into(),
                        }
                    }
                    _ => Translated::default(),
                },
            )
            .collect();
        let _ = self.writer.serialize((row, translations));
    }

    fn refs(&self, collection: Collection, slugs: &[String]) -> Refs {
        let urls: Vec<Option<String>> = slugs
            .iter()
            .map(|s| url_of(self.graph, self.config, collection, s))
            .collect();
        Refs {
            slugs: joined(slugs.iter().map(String::as_str)),
            urls: joined(urls.iter().map(|u| u.as_deref().unwrap_or(""))),
        }
    }

    fn sources(&self, refs: &[SourceRef]) -> SourceRefs {
        let slugs: Vec<String> = refs.iter().map(|r| r.source.clone()).collect();
        let Refs { slugs, urls } = self.refs(Collection::Sources, &slugs);
        let part = |part: fn(&SourceRef) -> Option<&String>| {
            if refs.iter().all(|r| part(r).is_none()) {
                return Cell::default();
            }
            joined(refs.iter().map(|r| part(r).map_or("", String::as_str)))
        };
        SourceRefs {
            slugs,
            urls,
            locators: part(|r| r.locator.as_ref()),
            quotes: part(|r| r.quote.as_ref()),
        }
    }

    fn finish(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }
}

fn joined<'a>(parts: impl Iterator<Item = &'a str>) -> Cell {
    Cell(parts.collect::<Vec<_>>().join(";"))
}

fn count(count: Option<Count>) -> CountCells {
    let text = |n: Option<u64>| Cell(n.map(|n| n.to_string()).unwrap_or_default());
    match count {
        Some(c) => CountCells {
            kind: c.kind.as_str().into(),
            min: text(c.min()),
            max: text(c.high),
        },
        None => CountCells::default(),
    }
}

fn tags(document: &Document) -> Cell {
    Cell(document.common.tags.join(";"))
}

/// A row of `data/corrections.csv`: one correction and the document it
/// corrects (`pages` for a free page).
#[derive(Default, Serialize)]
struct CorrectionRow {
    date: Cell,
    collection: Cell,
    slug: Cell,
    title: Cell,
    url: Cell,
    was: Cell,
    now: Cell,
    why: Cell,
}

/// Every correction, newest first, as `data/corrections.json` lists them.
pub(super) fn corrections(graph: &Graph, config: &Config) -> Vec<u8> {
    let mut table = Table::new::<CorrectionRow>(graph, config);
    for (document, correction) in super::corrections(graph) {
        let row = CorrectionRow {
            date: Some(correction.date).into(),
            collection: document
                .collection()
                .map_or("pages", Collection::name)
                .into(),
            slug: document.slug.as_str().into(),
            title: document.common.title.as_str().into(),
            url: document_url(document, config).into(),
            was: correction.was.as_str().into(),
            now: correction.now.as_str().into(),
            why: correction.why.as_str().into(),
        };
        table.row(row, document);
    }
    table.finish()
}

/// The CSV of one collection.
pub(super) fn csv(graph: &Graph, config: &Config, collection: Collection) -> Vec<u8> {
    match collection {
        Collection::Demands => {
            let mut table = Table::new::<DemandRow>(graph, config);
            for (_, d) in published(graph, collection) {
                let Fields::Demand(f) = &d.fields else {
                    continue;
                };
                let addressees = table.refs(Collection::Actors, &f.addressees);
                let raised_by = table.refs(Collection::Actors, &f.raised_by);
                let incidents = table.refs(Collection::Incidents, &f.incidents);
                let sources = table.sources(&f.sources);
                let row = DemandRow {
                    slug: d.slug.as_str().into(),
                    title: d.common.title.as_str().into(),
                    url: document_url(d, config).into(),
                    kind: f.kind.as_str().into(),
                    status: f.status.as_str().into(),
                    first_raised: f.first_raised.into(),
                    addressees: addressees.slugs,
                    addressee_urls: addressees.urls,
                    raised_by: raised_by.slugs,
                    raised_by_urls: raised_by.urls,
                    incidents: incidents.slugs,
                    incident_urls: incidents.urls,
                    sources: sources.slugs,
                    source_urls: sources.urls,
                    source_locators: sources.locators,
                    source_quotes: sources.quotes,
                    reviewed: f.reviewed.into(),
                    summary: (&d.common.summary).into(),
                    tags: tags(d),
                };
                table.row(row, d);
            }
            table.finish()
        }
        Collection::Incidents => {
            let mut table = Table::new::<IncidentRow>(graph, config);
            for (_, d) in published(graph, collection) {
                let Fields::Incident(f) = &d.fields else {
                    continue;
                };
                let place = f.place.as_ref();
                let place_source: Vec<SourceRef> =
                    place.and_then(|p| p.source.clone()).into_iter().collect();
                let place_source = table.sources(&place_source);
                let perpetrators = table.refs(Collection::Actors, &f.perpetrators);
                let [killed, injured, detained] = [
                    f.casualties.killed,
                    f.casualties.injured,
                    f.casualties.detained,
                ]
                .map(count);
                let sources = table.sources(&f.sources);
                let demands = table.refs(Collection::Demands, &f.demands);
                let row = IncidentRow {
                    slug: d.slug.as_str().into(),
                    title: d.common.title.as_str().into(),
                    url: document_url(d, config).into(),
                    date: Some(f.date).into(),
                    end_date: f.end_date.into(),
                    place: place.map_or("", |p| p.name.as_str()).into(),
                    governorate: place.map_or(Cell::default(), |p| (&p.governorate).into()),
                    lat: place.and_then(|p| p.lat).into(),
                    lon: place.and_then(|p| p.lon).into(),
                    located_by: place
                        .and_then(crate::model::Place::located_by)
                        .unwrap_or_default()
                        .into(),
                    place_source: place_source.slugs,
                    place_locator: place_source.locators,
                    place_quote: place_source.quotes,
                    perpetrators: perpetrators.slugs,
                    perpetrator_urls: perpetrators.urls,
                    verification: f.verification.map_or("", |v| v.as_str()).into(),
                    killed_kind: killed.kind,
                    killed_min: killed.min,
                    killed_max: killed.max,
                    injured_kind: injured.kind,
                    injured_min: injured.min,
                    injured_max: injured.max,
                    detained_kind: detained.kind,
                    detained_min: detained.min,
                    detained_max: detained.max,
                    victims: (&f.victims).into(),
                    sources: sources.slugs,
                    source_urls: sources.urls,
                    source_locators: sources.locators,
                    source_quotes: sources.quotes,
                    demands: demands.slugs,
                    demand_urls: demands.urls,
                    summary: (&d.common.summary).into(),
                    tags: tags(d),
                };
                table.row(row, d);
            }
            table.finish()
        }
        Collection::Actors => {
            let mut table = Table::new::<ActorRow>(graph, config);
            for (_, d) in published(graph, collection) {
                let Fields::Actor(f) = &d.fields else {
                    continue;
                };
                let part_of: Vec<String> = f.part_of.iter().cloned().collect();
                let part_of = table.refs(Collection::Actors, &part_of);
                let row = ActorRow {
                    slug: d.slug.as_str().into(),
                    title: d.common.title.as_str().into(),
                    url: document_url(d, config).into(),
                    kind: f.kind.as_str().into(),
                    country: (&f.country).into(),
                    part_of: part_of.slugs,
                    part_of_url: part_of.urls,
                    summary: (&d.common.summary).into(),
                    tags: tags(d),
                };
                table.row(row, d);
            }
            table.finish()
        }
        Collection::Sources => {
            let mut table = Table::new::<SourceRow>(graph, config);
            for (_, d) in published(graph, collection) {
                let Fields::Source(f) = &d.fields else {
                    continue;
                };
                let publisher: Vec<String> = f.publisher.iter().cloned().collect();
                let publisher = table.refs(Collection::Actors, &publisher);
                let archive = f.archive.as_ref();
                let row = SourceRow {
                    slug: d.slug.as_str().into(),
                    title: d.common.title.as_str().into(),
                    url: document_url(d, config).into(),
                    kind: f.kind.as_str().into(),
                    publisher: publisher.slugs,
                    publisher_url: publisher.urls,
                    authors: Cell(f.authors.join(";")),
                    date: f.date.into(),
                    original_url: (&f.url).into(),
                    archive_url: archive.map_or(Cell::default(), |a| (&a.url).into()),
                    archive_file: archive.map_or(Cell::default(), |a| (&a.file).into()),
                    perspective: (&f.perspective).into(),
                    summary: (&d.common.summary).into(),
                    tags: tags(d),
                };
                table.row(row, d);
            }
            table.finish()
        }
        Collection::Figures => {
            let mut table = Table::new::<EstimateRow>(graph, config);
            for (_, d) in published(graph, collection) {
                let Fields::Figure(f) = &d.fields else {
                    continue;
                };
                for (i, e) in f.estimates.iter().enumerate() {
                    let period = e.period.as_deref().unwrap_or(&[]);
                    let counted = count(Some(e.count));
                    let source = table.sources(std::slice::from_ref(&e.source));
                    let row = EstimateRow {
                        slug: d.slug.as_str().into(),
                        title: d.common.title.as_str().into(),
                        url: document_url(d, config).into(),
                        unit: f.unit.as_str().into(),
                        estimate: Cell((i + 1).to_string()),
                        kind: counted.kind,
                        min: counted.min,
                        max: counted.max,
                        what: e.what.as_str().into(),
                        scope: (&e.scope).into(),
                        method: e.method.map_or("", |m| m.as_str()).into(),
                        period_from: period.first().copied().into(),
                        period_to: period.get(1).copied().into(),
                        source: source.slugs,
                        source_url: source.urls,
                        locator: source.locators,
                        quote: source.quotes,
                    };
                    table.row(row, d);
                }
            }
            table.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_as_rfc_4180_asks_and_formulas_are_neutralised() {
        #[derive(Default, Serialize)]
        struct Row {
            a: Cell,
            b: Cell,
            c: Cell,
            d: Cell,
        }
        let mut writer = ::csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        writer
            .serialize(Row {
                a: "a,b".into(),
                b: "say \"hi\"".into(),
                c: "=SUM(A1)".into(),
                d: "-12".into(),
            })
            .unwrap();
        writer
            .serialize(Row {
                a: "plain".into(),
                b: "two\nlines".into(),
                ..Row::default()
            })
            .unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-12\r\nplain,\"two\nlines\",,\r\n"
        );
        assert_eq!(columns::<Row>(), ["a", "b", "c", "d"]);
    }
}
