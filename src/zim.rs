//! The Kiwix edition: the whole site, every language, packed into one ZIM
//! file by the openZIM project's own `zimwriterfs` (Debian's `zim-tools`),
//! run as an external program. This module builds the site into a
//! temporary folder beside the ZIM file, makes the ZIM's metadata from
//! `site.toml` and its 48×48 illustration, runs the tool, and renames the
//! finished file into place, so a failed run leaves an earlier ZIM as it
//! was. It never writes a ZIM of its own, and writes nothing outside that
//! temporary folder and the ZIM's path.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::Context;

use crate::config::Config;
use crate::diagnostic::Code;
use crate::{Diagnostic, Mode, Options, Report};

/// The program that writes the ZIM file.
pub const TOOL: &str = "zimwriterfs";

/// The file name of the illustration in the packed folder; `zimwriterfs`
/// reads it from there, so it must not be a path the site publishes.
pub const ILLUSTRATION: &str = "zim-illustration-48x48.png";

/// ZIM readers show the description in a library's list; the openZIM
/// metadata rules allow it 80 characters.
pub const DESCRIPTION_LENGTH: usize = 80;

/// What the ZIM says about itself, from `site.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub title: String,
    /// At most [`DESCRIPTION_LENGTH`] characters.
    pub description: String,
    /// ISO 639-3 codes, the default language first.
    pub languages: Vec<String>,
    /// Who made the content: `[cite] publisher`, else `[publisher] name`,
    /// else the title.
    pub creator: String,
    /// Who made the ZIM file: the same as the creator, since the dossier's
    /// publisher packs its own dossier.
    pub publisher: String,
    /// The identifier Kiwix libraries know every version of this ZIM by.
    pub name: String,
    /// Where the site is published, when `base_url` says.
    pub source: Option<String>,
}

impl Metadata {
    /// The metadata of the dossier `config` describes, read from site.toml's
    /// `text`; `name` replaces the one made from the title and languages. A
    /// language with no known ISO 639-3 code is a problem at its place in
    /// site.toml, since readers filter libraries by language.
    pub fn new(
        config: &Config,
        text: &str,
        name: Option<&str>,
    ) -> Result<Metadata, Vec<Diagnostic>> {
        let mut codes: Vec<&str> = vec![config.default_language.as_str()];
        codes.extend(
            config
                .languages
                .keys()
                .map(String::as_str)
                .filter(|code| *code != config.default_language),
        );
        let mut languages = Vec::new();
        let mut problems = Vec::new();
        for code in &codes {
            match iso_639_3(code) {
                Some(three) => languages.push(three),
                None => problems.push(
                    Diagnostic::error(
                        Code::BadLanguageCode,
                        format!("the language `{code}` has no ISO 639-3 code that a ZIM file can name"),
                    )
                    .at(crate::config::language_location(
                        Path::new(crate::config::FILE_NAME),
                        text,
                        code,
                    ))
                    .hint("ZIM files name languages by ISO 639-3 codes: write the language as its ISO 639-1 code (`en`, `ar`) or its three-letter ISO 639-3 code (`ckb`)"),
                ),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // zimwriterfs refuses to run without a description.
        let description = match config.description.trim() {
            "" => &config.title,
            written => written,
        };
        let creator = config
            .cite
            .publisher
            .as_deref()
            .or(config.publisher_in(&config.default_language))
            .unwrap_or(&config.title)
            .to_string();
        let language_part = match codes.as_slice() {
            [one] => primary(one),
            _ => "mul",
        };
        let name = match name {
            Some(name) => name.to_string(),
            None => format!("{}_{language_part}", crate::slug::slugify(&config.title)),
        };
        Ok(Metadata {
            title: config.title.clone(),
            description: shortened(description, DESCRIPTION_LENGTH),
            languages,
            publisher: creator.clone(),
            creator,
            name,
            source: config.base_url.clone(),
        })
    }
}

/// `zimwriterfs`'s arguments: the metadata, the home page of the default
/// language as the main page, the illustration, the full-text index left
/// on (it is what Kiwix's search bar searches), the folder and the file.
/// Every value is given as `--option=value`, so a title that starts with a
/// `-` stays a value.
pub fn arguments(metadata: &Metadata, folder: &Path, zim: &Path) -> Vec<OsString> {
    let mut arguments: Vec<OsString> = [
        format!("--welcome={}", crate::urls::href_of_url("")),
        format!("--illustration={ILLUSTRATION}"),
        format!("--language={}", metadata.languages.join(",")),
        format!("--title={}", metadata.title),
        format!("--description={}", metadata.description),
        format!("--creator={}", metadata.creator),
        format!("--publisher={}", metadata.publisher),
        format!("--name={}", metadata.name),
        format!("--scraper=dossier {}", env!("CARGO_PKG_VERSION")),
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    if let Some(source) = &metadata.source {
        arguments.push(format!("--source={source}").into());
    }
    arguments.push(folder.as_os_str().to_owned());
    arguments.push(zim.as_os_str().to_owned());
    arguments
}

/// Finds `zimwriterfs` in the folders of `path` (the `PATH` variable), or
/// says in plain words what to install.
pub fn find_tool(path: Option<&std::ffi::OsStr>) -> anyhow::Result<PathBuf> {
    path.into_iter()
        .flat_map(std::env::split_paths)
        .map(|folder| folder.join(TOOL))
        .find(|candidate| is_program(candidate))
        .ok_or_else(|| anyhow::anyhow!("{}", missing_tool_message()))
}

/// What a missing `zimwriterfs` is reported as.
pub fn missing_tool_message() -> String {
    format!(
        "`{TOOL}` was not found on PATH. The ZIM file is written by {TOOL}, \
         from the openZIM project's zim-tools: install it (Debian and Ubuntu: \
         `sudo apt-get install zim-tools`; other systems: \
         https://download.openzim.org/release/zim-tools/) and run this again"
    )
}

fn is_program(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}

/// What `pack` is asked to do.
pub struct ZimOptions {
    /// The site folder, holding `site.toml`.
    pub root: PathBuf,
    pub drafts: bool,
    /// The ZIM file to write.
    pub zim: PathBuf,
    /// The ZIM's `Name`, instead of the one made from the title.
    pub name: Option<String>,
    /// The `zimwriterfs` to run ([`find_tool`]).
    pub tool: PathBuf,
}

/// Builds the site into a temporary folder beside `options.zim`, packs it
/// with `zimwriterfs` and renames the ZIM into place. The report is the
/// build's, with the packing's time as a stage and the ZIM as its output
/// when it was written; a build with errors packs nothing. `Err` for
/// failures of the machine or of `zimwriterfs`, in either case with the
/// earlier ZIM, if any, untouched.
pub fn pack(options: &ZimOptions) -> anyhow::Result<Report> {
    let started = Instant::now();
    let zim = crate::write::absolute(&options.zim)?;
    let file_name = zim
        .file_name()
        .with_context(|| format!("{} does not name a file", options.zim.display()))?
        .to_string_lossy()
        .into_owned();
    if zim.is_dir() {
        anyhow::bail!("{} is a folder; name the ZIM file to write", zim.display());
    }
    let parent = zim.parent().unwrap_or(Path::new("/"));
    // Beside the ZIM, so that the finished file is renamed, not copied,
    // into place; deleted with everything in it when dropped.
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{file_name}."))
        .tempdir_in(parent)
        .with_context(|| format!("cannot make a temporary folder in {}", parent.display()))?;
    let folder = staging.path().join("site");
    let mut report = crate::build(&Options {
        root: options.root.clone(),
        drafts: options.drafts,
        mode: Mode::Publish {
            output: Some(folder.clone()),
        },
        base_url: None,
        sign: None,
        strict: false,
    })?;
    if !report.succeeded() {
        return Ok(report);
    }
    let root = crate::write::absolute(&options.root)?;
    let config_text = crate::discover::read_config(&root)?;
    // The build has just read the same text without a problem.
    let config = Config::parse(Path::new(crate::config::FILE_NAME), &config_text)
        .map_err(|_| anyhow::anyhow!("site.toml changed during the build; run this again"))?;
    let metadata = match Metadata::new(&config, &config_text, options.name.as_deref()) {
        Ok(metadata) => metadata,
        Err(problems) => {
            report.diagnostics.extend(problems);
            return Ok(report);
        }
    };
    let packing = Instant::now();
    // The build's manifest is for replacing an output folder; in a ZIM it
    // would be one more entry for readers to find.
    std::fs::remove_file(folder.join(crate::write::MARKER))
        .with_context(|| format!("cannot remove the manifest from {}", folder.display()))?;
    let illustration = folder.join(ILLUSTRATION);
    if illustration.exists() {
        anyhow::bail!(
            "the site publishes a file named {ILLUSTRATION}, the name the ZIM's illustration takes; rename that file"
        );
    }
    std::fs::write(&illustration, self::illustration())
        .with_context(|| format!("cannot write {}", illustration.display()))?;
    let packed = staging.path().join(&file_name);
    let earlier = if zim.exists() {
        "is as it was"
    } else {
        "was not written"
    };
    let output = Command::new(&options.tool)
        .args(arguments(&metadata, &folder, &packed))
        .output()
        .with_context(|| format!("cannot run {}", options.tool.display()))?;
    if !output.status.success() || !packed.is_file() {
        anyhow::bail!(
            "{TOOL} failed ({}); {} {earlier}:\n{}{}",
            output.status,
            zim.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    std::fs::rename(&packed, &zim)
        .with_context(|| format!("cannot move the new ZIM file to {}", zim.display()))?;
    report.stages.push(("zim", packing.elapsed()));
    report.elapsed = started.elapsed();
    report.output = Some(zim);
    Ok(report)
}

/// The ZIM's 48×48 illustration: the theme's mark (a red bar on the dark
/// ground of its header), drawn three times the size of its favicon.
pub fn illustration() -> Vec<u8> {
    const SIZE: usize = 48;
    const GROUND: [u8; 3] = [0x15, 0x1a, 0x22];
    const BAR: [u8; 3] = [0xe0, 0x46, 0x4b];
    let mut rows = Vec::with_capacity(SIZE * (1 + 3 * SIZE));
    for y in 0..SIZE {
        rows.push(0); // no filter
        for x in 0..SIZE {
            let on_bar = (9..18).contains(&x) && (9..39).contains(&y);
            rows.extend_from_slice(if on_bar { &BAR } else { &GROUND });
        }
    }
    png(SIZE as u32, SIZE as u32, &rows)
}

/// A PNG of 8-bit RGB `rows` (each led by its filter byte), stored
/// uncompressed: the one image is 7 KB, too small to need a compressor.
fn png(width: u32, height: u32, rows: &[u8]) -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, no interlace
    // A zlib stream of stored deflate blocks, each at most 65535 bytes.
    let mut data = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = rows.chunks(0xffff).collect();
    for (i, block) in blocks.iter().enumerate() {
        data.push(u8::from(i + 1 == blocks.len()));
        let length = block.len() as u16;
        data.extend_from_slice(&length.to_le_bytes());
        data.extend_from_slice(&(!length).to_le_bytes());
        data.extend_from_slice(block);
    }
    data.extend_from_slice(&adler32(rows).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, body) in [(b"IHDR", &header), (b"IDAT", &data), (b"IEND", &Vec::new())] {
        png.extend_from_slice(&(body.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(body);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    png
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// `text` cut at a word to at most `max` characters, an ellipsis marking
/// the cut.
fn shortened(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut kept = String::new();
    for word in text.split_whitespace() {
        let added = usize::from(!kept.is_empty()) + word.chars().count();
        if kept.chars().count() + added + 1 > max {
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    if kept.is_empty() {
        kept = text.chars().take(max - 1).collect();
    }
    kept.push('…');
    kept
}

/// The primary subtag of a language code (`pt` of `pt-BR`).
fn primary(code: &str) -> &str {
    code.split('-').next().unwrap_or(code)
}

/// The ISO 639-3 code of a site language: its primary subtag as it is when
/// it has three letters (ISO 639-3 codes every ISO 639-1 language by its
/// ISO 639-2/T code, which is also its ISO 639-3 code), else looked up
/// among the ISO 639-1 codes.
pub fn iso_639_3(code: &str) -> Option<String> {
    let primary = primary(code);
    if primary.len() == 3 && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return Some(primary.to_string());
    }
    ISO_639_1_TO_3
        .binary_search_by_key(&primary, |(two, _)| two)
        .ok()
        .map(|i| ISO_639_1_TO_3[i].1.to_string())
}

/// Every ISO 639-1 code with its ISO 639-3 code, sorted (from the ISO 639-3
/// table of Debian's iso-codes).
const ISO_639_1_TO_3: &[(&str, &str)] = &[
    ("aa", "aar"),
    ("ab", "abk"),
    ("ae", "ave"),
    ("af", "afr"),
    ("ak", "aka"),
    ("am", "amh"),
    ("an", "arg"),
    ("ar", "ara"),
    ("as", "asm"),
    ("av", "ava"),
    ("ay", "aym"),
    ("az", "aze"),
    ("ba", "bak"),
    ("be", "bel"),
    ("bg", "bul"),
    ("bi", "bis"),
    ("bm", "bam"),
    ("bn", "ben"),
    ("bo", "bod"),
    ("br", "bre"),
    ("bs", "bos"),
    ("ca", "cat"),
    ("ce", "che"),
    ("ch", "cha"),
    ("co", "cos"),
    ("cr", "cre"),
    ("cs", "ces"),
    ("cu", "chu"),
    ("cv", "chv"),
    ("cy", "cym"),
    ("da", "dan"),
    ("de", "deu"),
    ("dv", "div"),
    ("dz", "dzo"),
    ("ee", "ewe"),
    ("el", "ell"),
    ("en", "eng"),
    ("eo", "epo"),
    ("es", "spa"),
    ("et", "est"),
    ("eu", "eus"),
    ("fa", "fas"),
    ("ff", "ful"),
    ("fi", "fin"),
    ("fj", "fij"),
    ("fo", "fao"),
    ("fr", "fra"),
    ("fy", "fry"),
    ("ga", "gle"),
    ("gd", "gla"),
    ("gl", "glg"),
    ("gn", "grn"),
    ("gu", "guj"),
    ("gv", "glv"),
    ("ha", "hau"),
    ("he", "heb"),
    ("hi", "hin"),
    ("ho", "hmo"),
    ("hr", "hrv"),
    ("ht", "hat"),
    ("hu", "hun"),
    ("hy", "hye"),
    ("hz", "her"),
    ("ia", "ina"),
    ("id", "ind"),
    ("ie", "ile"),
    ("ig", "ibo"),
    ("ii", "iii"),
    ("ik", "ipk"),
    ("io", "ido"),
    ("is", "isl"),
    ("it", "ita"),
    ("iu", "iku"),
    ("ja", "jpn"),
    ("jv", "jav"),
    ("ka", "kat"),
    ("kg", "kon"),
    ("ki", "kik"),
    ("kj", "kua"),
    ("kk", "kaz"),
    ("kl", "kal"),
    ("km", "khm"),
    ("kn", "kan"),
    ("ko", "kor"),
    ("kr", "kau"),
    ("ks", "kas"),
    ("ku", "kur"),
    ("kv", "kom"),
    ("kw", "cor"),
    ("ky", "kir"),
    ("la", "lat"),
    ("lb", "ltz"),
    ("lg", "lug"),
    ("li", "lim"),
    ("ln", "lin"),
    ("lo", "lao"),
    ("lt", "lit"),
    ("lu", "lub"),
    ("lv", "lav"),
    ("mg", "mlg"),
    ("mh", "mah"),
    ("mi", "mri"),
    ("mk", "mkd"),
    ("ml", "mal"),
    ("mn", "mon"),
    ("mr", "mar"),
    ("ms", "msa"),
    ("mt", "mlt"),
    ("my", "mya"),
    ("na", "nau"),
    ("nb", "nob"),
    ("nd", "nde"),
    ("ne", "nep"),
    ("ng", "ndo"),
    ("nl", "nld"),
    ("nn", "nno"),
    ("no", "nor"),
    ("nr", "nbl"),
    ("nv", "nav"),
    ("ny", "nya"),
    ("oc", "oci"),
    ("oj", "oji"),
    ("om", "orm"),
    ("or", "ori"),
    ("os", "oss"),
    ("pa", "pan"),
    ("pi", "pli"),
    ("pl", "pol"),
    ("ps", "pus"),
    ("pt", "por"),
    ("qu", "que"),
    ("rm", "roh"),
    ("rn", "run"),
    ("ro", "ron"),
    ("ru", "rus"),
    ("rw", "kin"),
    ("sa", "san"),
    ("sc", "srd"),
    ("sd", "snd"),
    ("se", "sme"),
    ("sg", "sag"),
    ("sh", "hbs"),
    ("si", "sin"),
    ("sk", "slk"),
    ("sl", "slv"),
    ("sm", "smo"),
    ("sn", "sna"),
    ("so", "som"),
    ("sq", "sqi"),
    ("sr", "srp"),
    ("ss", "ssw"),
    ("st", "sot"),
    ("su", "sun"),
    ("sv", "swe"),
    ("sw", "swa"),
    ("ta", "tam"),
    ("te", "tel"),
    ("tg", "tgk"),
    ("th", "tha"),
    ("ti", "tir"),
    ("tk", "tuk"),
    ("tl", "tgl"),
    ("tn", "tsn"),
    ("to", "ton"),
    ("tr", "tur"),
    ("ts", "tso"),
    ("tt", "tat"),
    ("tw", "twi"),
    ("ty", "tah"),
    ("ug", "uig"),
    ("uk", "ukr"),
    ("ur", "urd"),
    ("uz", "uzb"),
    ("ve", "ven"),
    ("vi", "vie"),
    ("vo", "vol"),
    ("wa", "wln"),
    ("wo", "wol"),
    ("xh", "xho"),
    ("yi", "yid"),
    ("yo", "yor"),
    ("za", "zha"),
    ("zh", "zho"),
    ("zu", "zul"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::parse(Path::new("site.toml"), text).unwrap()
    }

    const BILINGUAL: &str = r#"
title = "Accountability for abuses in Iraq since 2003"
description = "What victims and human-rights groups demand — investigations, prosecutions, reparations — the incidents those demands rest on."
default_language = "en"
base_url = "https://example.org/iraq/"
[languages.en]
name = "English"
[languages.ar]
name = "العربية"
direction = "rtl"
[cite]
publisher = "Iraq Accountability Network"
"#;

    #[test]
    fn metadata_names_every_language_in_iso_639_3_default_first() {
        let metadata = Metadata::new(&config(BILINGUAL), BILINGUAL, None).unwrap();
        assert_eq!(metadata.languages, ["eng", "ara"]);
        let arabic_first =
            BILINGUAL.replace(r#"default_language = "en""#, r#"default_language = "ar""#);
        let metadata = Metadata::new(&config(&arabic_first), &arabic_first, None).unwrap();
        assert_eq!(metadata.languages, ["ara", "eng"]);
    }

    #[test]
    fn metadata_takes_title_publisher_and_address_from_site_toml() {
        let metadata = Metadata::new(&config(BILINGUAL), BILINGUAL, None).unwrap();
        assert_eq!(
            metadata.title,
            "Accountability for abuses in Iraq since 2003"
        );
        assert_eq!(metadata.creator, "Iraq Accountability Network");
        assert_eq!(metadata.publisher, "Iraq Accountability Network");
        assert_eq!(
            metadata.name,
            "accountability-for-abuses-in-iraq-since-2003_mul"
        );
        assert_eq!(
            metadata.source.as_deref(),
            Some("https://example.org/iraq/")
        );
        let named = Metadata::new(&config(BILINGUAL), BILINGUAL, Some("iraq-dossier_mul")).unwrap();
        assert_eq!(named.name, "iraq-dossier_mul");
    }

    #[test]
    fn a_dossier_with_no_publisher_is_its_own_creator_and_one_language_names_itself() {
        let text = "title = \"Dossier\"\ndescription = \"Short.\"\ndefault_language = \"fr\"\n";
        let metadata = Metadata::new(&config(text), text, None).unwrap();
        assert_eq!(metadata.creator, "Dossier");
        assert_eq!(metadata.publisher, "Dossier");
        assert_eq!(metadata.languages, ["fra"]);
        assert_eq!(metadata.name, "dossier_fr");
        assert_eq!(metadata.description, "Short.");
        assert_eq!(metadata.source, None);
    }

    #[test]
    fn the_publisher_named_in_site_toml_is_the_creator() {
        let text = "title = \"Dossier\"\n[publisher]\nname = \"Basra Rights Group\"\n";
        let metadata = Metadata::new(&config(text), text, None).unwrap();
        assert_eq!(metadata.creator, "Basra Rights Group");
        assert_eq!(metadata.publisher, "Basra Rights Group");
    }

    #[test]
    fn a_dossier_with_no_description_is_described_by_its_title() {
        let text = "title = \"Dossier\"\ndescription = \" \"\n";
        let metadata = Metadata::new(&config(text), text, None).unwrap();
        assert_eq!(metadata.description, "Dossier");
    }

    #[test]
    fn a_long_description_is_cut_at_a_word_to_80_characters() {
        let metadata = Metadata::new(&config(BILINGUAL), BILINGUAL, None).unwrap();
        assert!(metadata.description.chars().count() <= DESCRIPTION_LENGTH);
        assert_eq!(
            metadata.description,
            "What victims and human-rights groups demand — investigations, prosecutions,…"
        );
    }

    #[test]
    fn languages_map_to_iso_639_3_and_an_unknown_one_is_a_diagnostic() {
        assert_eq!(iso_639_3("ar").as_deref(), Some("ara"));
        assert_eq!(iso_639_3("fa").as_deref(), Some("fas"));
        assert_eq!(iso_639_3("pt-BR").as_deref(), Some("por"));
        assert_eq!(iso_639_3("ckb").as_deref(), Some("ckb"));
        assert_eq!(iso_639_3("zz"), None);
        let text = "title = \"D\"\ndefault_language = \"en\"\n[languages.zz]\nname = \"Z\"\n";
        let problems = Metadata::new(&config(text), text, None).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].message.contains("`zz`"),
            "{}",
            problems[0].message
        );
        assert!(problems[0].hint.as_deref().unwrap().contains("ISO 639-3"));
        // At the language's table in site.toml, the caret under its code.
        let location = problems[0].location.as_deref().unwrap();
        assert_eq!((location.line, location.column), (3, 12));
        assert_eq!(location.line_text, "[languages.zz]");
        let text = "title = \"D\"\ndefault_language = \"zz\"\n";
        let problems = Metadata::new(&config(text), text, None).unwrap_err();
        let location = problems[0].location.as_deref().unwrap();
        assert_eq!(location.line_text, "default_language = \"zz\"");
    }

    #[test]
    fn the_language_table_is_sorted_for_its_binary_search() {
        assert!(ISO_639_1_TO_3.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(ISO_639_1_TO_3.len(), 184);
    }

    #[test]
    fn arguments_keep_the_full_text_index_and_make_the_home_page_main() {
        let metadata = Metadata::new(&config(BILINGUAL), BILINGUAL, None).unwrap();
        let arguments: Vec<String> =
            arguments(&metadata, Path::new("/t/site"), Path::new("/t/d.zim"))
                .into_iter()
                .map(|a| a.into_string().unwrap())
                .collect();
        let expected = [
            "--welcome=index.html",
            "--illustration=zim-illustration-48x48.png",
            "--language=eng,ara",
            "--title=Accountability for abuses in Iraq since 2003",
            "--creator=Iraq Accountability Network",
            "--publisher=Iraq Accountability Network",
            "--name=accountability-for-abuses-in-iraq-since-2003_mul",
            "--source=https://example.org/iraq/",
        ];
        for argument in expected {
            assert!(
                arguments.iter().any(|a| a == argument),
                "{argument} missing from {arguments:?}"
            );
        }
        assert!(
            arguments
                .iter()
                .any(|a| a.starts_with("--scraper=dossier "))
        );
        // The full-text index is on unless asked off.
        assert!(
            !arguments
                .iter()
                .any(|a| a == "-j" || a.starts_with("--withoutFTIndex"))
        );
        assert_eq!(arguments[arguments.len() - 2..], ["/t/site", "/t/d.zim"]);
    }

    #[test]
    fn a_title_that_starts_with_a_dash_stays_a_value() {
        let text = "title = \"-j\"\ndefault_language = \"en\"\n";
        let metadata = Metadata::new(&config(text), text, None).unwrap();
        let arguments = arguments(&metadata, Path::new("s"), Path::new("z"));
        assert!(arguments.iter().any(|a| a == "--title=-j"));
        assert!(!arguments.iter().any(|a| a == "-j"));
    }

    #[test]
    fn a_missing_zimwriterfs_is_reported_with_how_to_install_it() {
        let empty = tempfile::tempdir().unwrap();
        let error = find_tool(Some(empty.path().as_os_str()))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("`zimwriterfs` was not found on PATH"),
            "{error}"
        );
        assert!(error.contains("apt-get install zim-tools"), "{error}");
        assert!(find_tool(None).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn zimwriterfs_is_found_in_the_first_folder_of_path_that_has_a_program_of_that_name() {
        use std::os::unix::fs::PermissionsExt;
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        // Not executable: not a program, so not the one.
        std::fs::write(first.path().join(TOOL), "").unwrap();
        let program = second.path().join(TOOL);
        std::fs::write(&program, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = std::env::join_paths([first.path(), second.path()]).unwrap();
        assert_eq!(find_tool(Some(&path)).unwrap(), program);
    }

    #[test]
    fn the_illustration_is_a_48_pixel_square_png_with_valid_checksums() {
        let png = illustration();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[16..24], &[0, 0, 0, 48, 0, 0, 0, 48]);
        // Every chunk's CRC covers its type and body.
        let mut at = 8;
        let mut kinds = Vec::new();
        while at < png.len() {
            let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let covered = &png[at + 4..at + 8 + length];
            let crc =
                u32::from_be_bytes(png[at + 8 + length..at + 12 + length].try_into().unwrap());
            assert_eq!(crc32(covered), crc);
            kinds.push(String::from_utf8_lossy(&covered[..4]).into_owned());
            at += 12 + length;
        }
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
    }

    #[test]
    fn checksums_match_their_published_check_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }
}
