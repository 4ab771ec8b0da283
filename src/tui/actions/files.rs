//! Files a submitted form names (a zone's GeoJSON boundary): read off the UI thread by the
//! event loop, then turned into the values the form sends.

use std::path::Path;

use serde_json::Value;

use crate::actor::RequestId;
use crate::api::model::zone::area_from_geojson;
use crate::tui::widgets::form::{FileFormat, FileRequest};

/// Largest file a form reads; a boundary is a few kilobytes, this only stops accidents.
const MAX_BYTES: u64 = 32 * 1024 * 1024;

/// Files to read for the form waiting under `token`.
#[derive(Debug, Clone, PartialEq)]
pub struct FileJob {
    /// Which submit asked (the form popup keeps it).
    pub token: RequestId,
    /// The files.
    pub files: Vec<FileRequest>,
}

/// The text of each file of a [`FileJob`], or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FilesRead {
    /// The job's token.
    pub token: RequestId,
    /// Per file: the request and its text or the reason in words.
    pub results: Vec<(FileRequest, Result<String, String>)>,
}

impl FileJob {
    /// Reads the files (blocking IO: run it off the UI thread).
    pub fn run(self) -> FilesRead {
        let results = self
            .files
            .into_iter()
            .map(|f| {
                let text = read(Path::new(&f.path));
                (f, text)
            })
            .collect();
        FilesRead {
            token: self.token,
            results,
        }
    }
}

fn read(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown} is not a file"));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!("{shown} is larger than {} MB", MAX_BYTES >> 20));
    }
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))
}

/// The value a file's text puts into the item.
pub fn read_file_value(format: FileFormat, text: &str) -> Result<Value, String> {
    match format {
        FileFormat::GeoJsonArea => area_from_geojson(text),
    }
}
