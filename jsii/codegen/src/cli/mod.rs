//! The CLI's commands: everything that touches the disk or runs a process.

pub mod generate;
pub mod new;
pub mod run;
mod system;

use jsii_codegen::Error;
use std::path::Path;

/// `map_err` for an I/O failure on `path`.
fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.display().to_string();
    move |source| Error::Io { path, source }
}
