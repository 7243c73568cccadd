//! Citations as data: what the parse stage keeps of a body's citations and
//! paragraphs, which every document carries. Finding them in the text, and
//! rendering them as notes, is `cite`'s; the model only holds them.

/// One source named in a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    pub locator: Option<String>,
    /// `[-@slug]`: the sentence already names the source.
    pub suppress_author: bool,
    /// Where the key (without `@`) was written, in the file, when it is
    /// known exactly; else the start of the text it was found in.
    pub offset: usize,
}

/// A citation as written: one or more sources, one note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    /// `@slug [para. 6]`: the source is named in the sentence.
    pub in_text: bool,
}

/// A paragraph of a body and how it is sourced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Where the paragraph starts in the file.
    pub offset: usize,
    pub cited: bool,
    pub editorial: bool,
}

/// What the parse stage keeps of a body's citations.
#[derive(Debug, Clone, Default)]
pub struct BodyCitations {
    pub citations: Vec<Citation>,
    pub paragraphs: Vec<Paragraph>,
}
