//! The CLI's commands: everything that touches the disk or runs a process.

pub mod generate;
pub mod new;
