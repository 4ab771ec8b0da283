//! Files the console writes for the user (proof-of-delivery images). [`App`] only says what
//! to write, as an effect; the event loop calls [`save_files`] off the UI thread.
//!
//! [`App`]: super::app::App

use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// One file to write: a plain name inside the save folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileToSave {
    /// File name, no folders (`T-1042-signature.png`).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Why files could not be written.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The session has no data folder to save into.
    #[error("no data folder is set up to save files into")]
    NoFolder,
    /// A name that is not a plain file name (folders, `..`, empty).
    #[error("{0:?} is not a plain file name")]
    BadName(String),
    /// The folder could not be created.
    #[error("cannot create {}: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// Writes every file into `dir` (created when missing), each first to a temporary name and
/// then renamed, so a reader never sees half a file. Returns the paths written.
pub fn save_files(dir: Option<&Path>, files: &[FileToSave]) -> Result<Vec<PathBuf>, SaveError> {
    let dir = dir.ok_or(SaveError::NoFolder)?;
    if let Some(bad) = files.iter().find(|f| !is_plain_name(&f.name)) {
        return Err(SaveError::BadName(bad.name.clone()));
    }
    std::fs::create_dir_all(dir).map_err(|source| SaveError::Folder {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(&f.name);
        let part = dir.join(format!(".{}.part", f.name));
        std::fs::write(&part, &f.bytes)
            .and_then(|()| std::fs::rename(&part, &path))
            .map_err(|source| SaveError::Write {
                path: path.clone(),
                source,
            })?;
        written.push(path);
    }
    Ok(written)
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name().is_some_and(|n| n == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_land_in_a_created_folder_and_names_cannot_escape_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("pod");
        let files = [FileToSave {
            name: "T-1-signature.png".into(),
            bytes: vec![1, 2, 3],
        }];
        let paths = save_files(Some(&dir), &files).unwrap();
        assert_eq!(paths, vec![dir.join("T-1-signature.png")]);
        assert_eq!(std::fs::read(&paths[0]).unwrap(), vec![1, 2, 3]);
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temp file left"
        );

        for bad in ["../x.png", "a/b.png", "", ".."] {
            let f = [FileToSave {
                name: bad.into(),
                bytes: vec![],
            }];
            assert!(matches!(
                save_files(Some(&dir), &f),
                Err(SaveError::BadName(_))
            ));
        }
        assert!(matches!(save_files(None, &files), Err(SaveError::NoFolder)));
    }

    #[test]
    fn an_unwritable_folder_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("not-a-folder");
        std::fs::write(&file, b"x").unwrap();
        let err = save_files(
            Some(&file.join("pod")),
            &[FileToSave {
                name: "a.png".into(),
                bytes: vec![],
            }],
        )
        .unwrap_err();
        assert!(err.to_string().contains("not-a-folder"), "{err}");
    }
}
