//! The images and other files a body names: the facts a page shows of
//! them (size, SHA-256, an image's width and height), the smaller copies an
//! image is published with for phones, and the metadata removed from every
//! published photo.
//!
//! A photo's EXIF data can carry the GPS position where it was taken and
//! the device that took it; XMP and IPTC can carry names. Published
//! JPEG, PNG and WebP files lose those three kinds of metadata, unless
//! `[build] keep_metadata` names the file. The original's pixels are never
//! re-encoded: the metadata is cut out of the file's own structure, so what
//! was published is the photo as taken. Only the smaller copies are
//! decoded, resized and encoded again.
//!
//! Pure: it takes bytes and returns bytes. Same bytes in, same bytes out,
//! whatever the thread count.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::sync::Arc;

use image::metadata::Orientation;
use image::{DynamicImage, ImageFormat};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Lines, closest};
use crate::markdown::{self, FileLink, FilePath};
use crate::model::Document;
pub use crate::model::FileFacts;

/// The widths, in pixels, of the copies an image is published with; the
/// last is also the widest a page ever asks for, so a larger photo is
/// never sent whole to a phone.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// What an output path is percent-encoded with in a link or a redirect:
/// what a URL path cannot hold as it is.
pub const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The quality of the JPEG copies: small files with no visible loss at the
/// width they are shown.
const JPEG_QUALITY: u8 = 82;

impl FileFacts {
    /// The facts of the file `name` whose bytes are `bytes`.
    pub fn of(name: &str, bytes: &[u8]) -> FileFacts {
        let format = format_of(name);
        let without_metadata = format.and_then(|format| {
            let found = read_metadata(bytes, format);
            (!found.kinds.is_empty()).then(|| {
                let stripped = strip(bytes, format, found.orientation);
                (stripped.len() as u64, sha256_hex(&stripped))
            })
        });
        FileFacts {
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            dimensions: format.and_then(|format| dimensions(bytes, format)),
            without_metadata,
        }
    }

    /// The size and SHA-256 of the file as published: without its
    /// metadata unless `kept`.
    pub fn published(&self, kept: bool) -> (u64, &str) {
        match &self.without_metadata {
            Some((size, sha256)) if !kept => (*size, sha256),
            _ => (self.size, &self.sha256),
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file the documents' own bodies name, checked (it is published;
/// an image has a description), and the facts of each that is, by its path
/// in the output. `published` is every file copied to the output, by that
/// path; `facts` reads one of them.
pub fn check_files(
    documents: &[Arc<Document>],
    published: &BTreeSet<&str>,
    facts: &(dyn Fn(&str) -> Option<FileFacts> + Sync),
) -> (Vec<Diagnostic>, BTreeMap<String, FileFacts>) {
    type Checked = (Vec<Diagnostic>, Vec<(String, FileFacts)>);
    let checked: Vec<Checked> = documents
        .par_iter()
        .map(|document| {
            let body = &document.source[document.body_start..];
            let folder = content_folder(&document.path);
            let lines = std::cell::OnceCell::new();
            let location = |link: &FileLink| {
                lines
                    .get_or_init(|| Lines::new(&document.path, &document.source))
                    .at(link.offset, link.len)
            };
            let mut problems = Vec::new();
            let mut found = Vec::new();
            for link in markdown::scan_files(body, document.body_start) {
                if link.image && !link.has_text {
                    problems.push(
                        Diagnostic::warning(Code::ImageWithoutAlt, "this image has no description")
                            .at(location(&link))
                            .hint(format!("write what it shows between the brackets, for example `![Families waiting at the gate]({})`: readers who cannot see the image hear or read only that", link.written)),
                    );
                }
                match markdown::file_path(&link.written, &folder, link.image) {
                    Some(FilePath::Found(path)) if published.contains(path.as_str()) => {
                        if let Some(facts) = facts(&path) {
                            found.push((path, facts));
                        }
                    }
                    Some(FilePath::Found(path)) => problems.push(
                        Diagnostic::error(Code::MissingFile, format!("`{}` names `content/{path}`, which does not exist", link.written))
                            .at(location(&link))
                            .hint(missing_hint(&path, &folder, published)),
                    ),
                    Some(FilePath::Outside) => problems.push(
                        Diagnostic::error(Code::FileOutsideContent, format!("`{}` climbs out of `content/`", link.written))
                            .at(location(&link))
                            .hint("put the file in `content/`, beside the document or in `content/files/`, and name it from there"),
                    ),
                    None => {}
                }
            }
            (problems, found)
        })
        .collect();
    let mut problems = Vec::new();
    let mut files = BTreeMap::new();
    for (found_problems, found) in checked {
        problems.extend(found_problems);
        files.extend(found);
    }
    // The smaller copies are published beside their image, under names
    // that another file may already have.
    for (path, facts) in &files {
        let widths = facts
            .dimensions
            .map_or(Vec::new(), |(w, _)| variant_widths(w));
        for copy in widths.into_iter().map(|w| variant_path(path, w)) {
            if published.contains(copy.as_str()) {
                problems.push(
                    Diagnostic::error(Code::OutputCollision, format!("`content/{copy}` has the name of a smaller copy of `content/{path}`, which is published in its place"))
                        .in_file(&std::path::Path::new("content").join(&copy))
                        .hint("rename one of the two files"),
                );
            }
        }
    }
    (problems, files)
}

/// The folder under `content/` of a document at `path`
/// (`content/incidents/x.md` → `incidents/`).
pub fn content_folder(path: &std::path::Path) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let inside = path.strip_prefix("content/").unwrap_or(&path);
    match inside.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/"),
        None => String::new(),
    }
}

/// What to write instead of a file that does not exist: the closest name
/// that does, written as the editor would from the document's folder.
fn missing_hint(path: &str, folder: &str, published: &BTreeSet<&str>) -> String {
    match closest(path, published.iter().copied()) {
        Some(best) => match best.strip_prefix(folder).filter(|_| !folder.is_empty()) {
            Some(beside) => format!("did you mean `{beside}`?"),
            None => format!("did you mean `@/{best}`?"),
        },
        None => format!(
            "put the file at `content/{path}`, or correct the name; a file beside the document is named as it is (`gate.jpg`), any other from `content/` (`@/files/report.pdf`)"
        ),
    }
}

/// The image format of a file published with smaller copies, by its name.
pub fn format_of(name: &str) -> Option<ImageFormat> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// An image's width and height as shown, read from its header.
fn dimensions(bytes: &[u8], format: ImageFormat) -> Option<(u32, u32)> {
    let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .ok()?;
    Some(
        if turns_sideways(read_metadata(bytes, format).orientation) {
            (height, width)
        } else {
            (width, height)
        },
    )
}

fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// The widths of the smaller copies of an image `width` pixels wide,
/// narrowest first: each of [`WIDTHS`] narrower than the image.
pub fn variant_widths(width: u32) -> Vec<u32> {
    WIDTHS.into_iter().filter(|w| *w < width).collect()
}

/// Where the copy of `output` (`files/gate.jpg`) `width` pixels wide is
/// published: beside it (`files/gate-480w.jpg`).
pub fn variant_path(output: &str, width: u32) -> String {
    let (folder, name) = match output.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), output),
    };
    match name.rsplit_once('.') {
        Some((stem, extension)) => format!("{folder}{stem}-{width}w.{extension}"),
        None => format!("{folder}{name}-{width}w"),
    }
}

/// The kinds of metadata this module removes, as a build reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Metadata {
    Exif,
    Xmp,
    Iptc,
}

impl Metadata {
    pub fn name(self) -> &'static str {
        match self {
            Metadata::Exif => "EXIF",
            Metadata::Xmp => "XMP",
            Metadata::Iptc => "IPTC",
        }
    }
}

/// An image as published: the original and its smaller copies, and what
/// was removed from the original.
#[derive(Debug, Default)]
pub struct Published {
    /// Output path and bytes, the original first.
    pub files: Vec<(String, Vec<u8>)>,
    /// The kinds of metadata the original carried and lost, sorted.
    pub removed: Vec<Metadata>,
    /// Why the smaller copies could not be made, if they could not.
    pub problem: Option<String>,
}

/// The image at `output` as published: without its metadata unless
/// `keep_metadata`, and with a copy at each of `widths`.
pub fn publish(output: &str, bytes: &[u8], keep_metadata: bool, widths: &[u32]) -> Published {
    let Some(format) = format_of(output) else {
        return Published {
            files: vec![(output.to_string(), bytes.to_vec())],
            ..Published::default()
        };
    };
    let found = read_metadata(bytes, format);
    let mut published = Published::default();
    let original = if keep_metadata || found.kinds.is_empty() {
        bytes.to_vec()
    } else {
        published.removed = found.kinds.clone();
        strip(bytes, format, found.orientation)
    };
    published.files.push((output.to_string(), original));
    if widths.is_empty() {
        return published;
    }
    match variants(bytes, format, found.orientation, widths) {
        Ok(copies) => published.files.extend(
            widths
                .iter()
                .zip(copies)
                .map(|(width, bytes)| (variant_path(output, *width), bytes)),
        ),
        Err(error) => published.problem = Some(error.to_string()),
    }
    published
}

/// The smaller copies of an image, one per width (narrowest first), turned
/// upright (a copy carries no metadata, its orientation included). Each
/// is resized from the next wider one, not from the original, which
/// spares most of the work of the narrower copies, with no visible
/// difference at these ratios.
fn variants(
    bytes: &[u8],
    format: ImageFormat,
    orientation: Orientation,
    widths: &[u32],
) -> image::ImageResult<Vec<Vec<u8>>> {
    let mut image = image::load_from_memory_with_format(bytes, format)?;
    image.apply_orientation(orientation);
    let mut copies = Vec::with_capacity(widths.len());
    for &width in widths.iter().rev() {
        let height = (u64::from(image.height()) * u64::from(width)
            / u64::from(image.width().max(1)))
        .max(1) as u32;
        image = image.resize_exact(width, height, image::imageops::FilterType::Triangle);
        copies.push(encode(&image, format)?);
    }
    copies.reverse();
    Ok(copies)
}

fn encode(image: &DynamicImage, format: ImageFormat) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
            DynamicImage::ImageRgb8(image.to_rgb8()).write_with_encoder(encoder)?;
        }
        ImageFormat::WebP => {
            let encoder = image::codecs::webp::WebPEncoder::new_lossless(&mut out);
            DynamicImage::ImageRgba8(image.to_rgba8()).write_with_encoder(encoder)?;
        }
        _ => image.write_to(Cursor::new(&mut out), ImageFormat::Png)?,
    }
    Ok(out)
}

/// What an image file carries: the kinds of metadata found, and the
/// orientation its EXIF data gives.
#[derive(Debug)]
struct Found {
    kinds: Vec<Metadata>,
    orientation: Orientation,
}

/// One part of a file: its byte range, and the kind of metadata it is.
type Part = (std::ops::Range<usize>, Option<Metadata>);

fn read_metadata(bytes: &[u8], format: ImageFormat) -> Found {
    let mut kinds = Vec::new();
    let mut orientation = Orientation::NoTransforms;
    for (range, kind) in parts(bytes, format) {
        if let Some(kind) = kind {
            if kind == Metadata::Exif
                && let Some(found) = Orientation::from_exif_chunk(exif_tiff(&bytes[range], format))
            {
                orientation = found;
            }
            kinds.push(kind);
        }
    }
    kinds.sort();
    kinds.dedup();
    Found { kinds, orientation }
}

/// The TIFF data of an EXIF part (after JPEG's segment header and
/// `Exif\0\0`, or WebP's and PNG's chunk header).
fn exif_tiff(part: &[u8], format: ImageFormat) -> &[u8] {
    let header = match format {
        ImageFormat::Jpeg => 4 + EXIF_ID.len(),
        _ => 8,
    };
    let tiff = part.get(header..).unwrap_or_default();
    // Some writers put `Exif\0\0` in a WebP or PNG chunk too.
    tiff.strip_prefix(EXIF_ID).unwrap_or(tiff)
}

const EXIF_ID: &[u8] = b"Exif\0\0";

/// The file without its parts of metadata; a JPEG turned by its EXIF
/// orientation keeps that one value, in an EXIF segment of its own, so
/// that it is still shown upright.
fn strip(bytes: &[u8], format: ImageFormat, orientation: Orientation) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut orientation_kept = orientation == Orientation::NoTransforms;
    for (range, kind) in parts(bytes, format) {
        match kind {
            None => out.extend_from_slice(&bytes[range]),
            Some(Metadata::Exif) if !orientation_kept && format == ImageFormat::Jpeg => {
                out.extend_from_slice(&orientation_segment(orientation));
                orientation_kept = true;
            }
            Some(_) => {}
        }
    }
    if format == ImageFormat::WebP {
        finish_webp(&mut out);
    }
    out
}

/// A JPEG APP1 segment holding one EXIF value: the orientation.
fn orientation_segment(orientation: Orientation) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // one value
    tiff.extend_from_slice(&u16::from(orientation.to_exif()).to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    let length = (2 + EXIF_ID.len() + tiff.len()) as u16;
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(EXIF_ID);
    segment.extend_from_slice(&tiff);
    segment
}

/// The parts of a file in order, covering it whole: each marked with the
/// kind of metadata it is, if it is one. A file that cannot be read to its
/// end is one part of no kind from where reading stopped.
fn parts(bytes: &[u8], format: ImageFormat) -> Vec<Part> {
    match format {
        ImageFormat::Jpeg => jpeg_parts(bytes),
        ImageFormat::Png => png_parts(bytes),
        ImageFormat::WebP => webp_parts(bytes),
        _ => vec![(0..bytes.len(), None)],
    }
}

/// A JPEG's segments up to the image data (which holds no metadata and is
/// one part to the end).
fn jpeg_parts(bytes: &[u8]) -> Vec<Part> {
    let mut parts = Vec::new();
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return vec![(0..bytes.len(), None)];
    }
    parts.push((0..2, None));
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        // Markers without a length: fill bytes, restart markers.
        if marker == 0xFF || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            parts.push((at..at + if marker == 0xFF { 1 } else { 2 }, None));
            at += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        if marker == 0xDA {
            break;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let end = (at + 2 + length).min(bytes.len());
        let data = &bytes[(at + 4).min(end)..end];
        let kind = match marker {
            0xE1 if data.starts_with(EXIF_ID) => Some(Metadata::Exif),
            0xE1 if data.starts_with(b"http://ns.adobe.com/") => Some(Metadata::Xmp),
            0xED if data.starts_with(b"Photoshop 3.0\0") => Some(Metadata::Iptc),
            _ => None,
        };
        parts.push((at..end, kind));
        at = end;
    }
    parts.push((at..bytes.len(), None));
    parts
}

/// A PNG's chunks: `eXIf`, and the text chunks holding XMP, or EXIF or
/// IPTC as ImageMagick writes them (`Raw profile type iptc`).
fn png_parts(bytes: &[u8]) -> Vec<Part> {
    const SIGNATURE: usize = 8;
    if bytes.len() < SIGNATURE {
        return vec![(0..bytes.len(), None)];
    }
    let mut parts = vec![(0..SIGNATURE, None)];
    let mut at = SIGNATURE;
    while at + 12 <= bytes.len() {
        let length = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let end = at.saturating_add(12).saturating_add(length as usize);
        if end > bytes.len() {
            break;
        }
        let kind_of_chunk = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..end - 4];
        let keyword = data.split(|b| *b == 0).next().unwrap_or_default();
        let keyword = String::from_utf8_lossy(keyword).to_ascii_lowercase();
        let kind = match kind_of_chunk {
            b"eXIf" => Some(Metadata::Exif),
            b"tEXt" | b"zTXt" | b"iTXt" => {
                if keyword.contains("xmp") {
                    Some(Metadata::Xmp)
                } else if keyword.contains("iptc") {
                    Some(Metadata::Iptc)
                } else if keyword.contains("exif") {
                    Some(Metadata::Exif)
                } else {
                    None
                }
            }
            _ => None,
        };
        parts.push((at..end, kind));
        at = end;
    }
    parts.push((at..bytes.len(), None));
    parts
}

/// A WebP's chunks: `EXIF` and `XMP `.
fn webp_parts(bytes: &[u8]) -> Vec<Part> {
    const HEADER: usize = 12;
    if bytes.len() < HEADER || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return vec![(0..bytes.len(), None)];
    }
    let mut parts = vec![(0..HEADER, None)];
    let mut at = HEADER;
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        let padded = (size as usize).saturating_add(size as usize & 1);
        let end = at.saturating_add(8).saturating_add(padded).min(bytes.len());
        let kind = match &bytes[at..at + 4] {
            b"EXIF" => Some(Metadata::Exif),
            b"XMP " => Some(Metadata::Xmp),
            _ => None,
        };
        parts.push((at..end, kind));
        at = end;
    }
    parts.push((at..bytes.len(), None));
    parts
}

/// A WebP whose chunks were removed: its RIFF size set again, and the
/// extended header's flags no longer announcing EXIF or XMP.
fn finish_webp(out: &mut [u8]) {
    if out.len() < 12 {
        return;
    }
    let size = (out.len() - 8) as u32;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    if &out[12..16.min(out.len())] == b"VP8X" && out.len() > 20 {
        out[20] &= !(0x08 | 0x04);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::new_rgb8(width, height);
        encode(&image, ImageFormat::Jpeg).unwrap()
    }

    /// A JPEG with an EXIF segment after its start: `Exif\0\0`, then TIFF
    /// data with an orientation.
    fn with_exif(jpeg: &[u8], orientation: Orientation) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&orientation_segment(orientation));
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn copies_are_named_beside_the_original_with_their_width() {
        assert_eq!(variant_path("files/gate.jpg", 480), "files/gate-480w.jpg");
        assert_eq!(variant_path("gate.png", 960), "gate-960w.png");
        assert_eq!(variant_widths(1000), vec![480, 960]);
        assert_eq!(variant_widths(4000), vec![480, 960, 1600]);
        assert!(variant_widths(480).is_empty());
    }

    #[test]
    fn a_sideways_photo_keeps_its_orientation_and_nothing_else() {
        let original = with_exif(&jpeg(40, 20), Orientation::Rotate90);
        let facts = FileFacts::of("x.jpg", &original);
        assert_eq!(facts.dimensions, Some((20, 40)));
        let published = publish("x.jpg", &original, false, &[]);
        assert_eq!(published.removed, vec![Metadata::Exif]);
        let stripped = &published.files[0].1;
        let found = read_metadata(stripped, ImageFormat::Jpeg);
        assert_eq!(found.orientation, Orientation::Rotate90);
        assert_eq!(FileFacts::of("x.jpg", stripped).dimensions, Some((20, 40)));
    }

    #[test]
    fn copies_are_the_same_bytes_every_time() {
        let original = jpeg(1200, 600);
        let first = publish("a.jpg", &original, false, &variant_widths(1200));
        let second = publish("a.jpg", &original, false, &variant_widths(1200));
        assert_eq!(first.files.len(), 3);
        assert_eq!(first.files, second.files);
        let copy = &first.files[1].1;
        assert_eq!(
            FileFacts::of("a-480w.jpg", copy).dimensions,
            Some((480, 240))
        );
    }
}
