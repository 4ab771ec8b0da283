//! Key files: written 0600, read with a warning when others may read them.

use std::path::{Path, PathBuf};

use super::ConfigError;
use crate::api::client::ApiKey;

/// Reads a key file (the whole file, trimmed).
pub fn read_key_file(path: &Path) -> Result<ApiKey, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(ApiKey::new(text))
}

/// A warning when `path` may be read by other users (mode looser than 0600).
#[cfg(unix)]
pub fn loose_mode_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} is readable by other users (mode {mode:04o}); run: chmod 600 {}",
            path.display(),
            path.display()
        )
    })
}

/// A warning when `path` may be read by other users (not checked on this platform).
#[cfg(not(unix))]
pub fn loose_mode_warning(_path: &Path) -> Option<String> {
    None
}

/// Writes `key` to `path` readable by the owner only (0600; its dir 0700 when created).
pub fn write_key_file(path: &Path, key: &ApiKey) -> Result<PathBuf, ConfigError> {
    use std::io::Write;
    let io = |source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent()
        && !dir.exists()
    {
        create_private_dir(dir).map_err(io)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    // An existing file keeps its old mode through open(); tighten it before writing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    f.write_all(key.expose().as_bytes()).map_err(io)?;
    f.write_all(b"\n").map_err(io)?;
    Ok(path.to_path_buf())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn written_keys_are_private_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys/prod.key");
        write_key_file(&path, &ApiKey::new("the-key-value")).expect("write");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(loose_mode_warning(&path), None);
        assert_eq!(
            read_key_file(&path).expect("read").expose(),
            "the-key-value"
        );
    }

    #[test]
    fn rewriting_tightens_a_loose_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("k");
        std::fs::write(&path, "old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert!(loose_mode_warning(&path).is_some_and(|w| w.contains("0644")));
        write_key_file(&path, &ApiKey::new("new")).expect("write");
        assert_eq!(loose_mode_warning(&path), None);
    }
}
