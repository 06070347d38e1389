//! The function's code: the cargo-lambda build output, checked before it becomes an asset so a
//! missing or wrong-architecture `bootstrap` is a clear error at synth, not a broken deploy.

use crate::error::AppError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The instruction set the function runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Architecture {
    /// Graviton (`arm64`), the default: cheaper per millisecond and what cargo-lambda targets
    /// with `--arm64`.
    Arm64,
    /// `x86_64`.
    X86_64,
}

impl Architecture {
    /// The name used in context values and by Lambda.
    pub fn name(self) -> &'static str {
        match self {
            Architecture::Arm64 => "arm64",
            Architecture::X86_64 => "x86_64",
        }
    }

    /// Parses a context value.
    pub fn parse(value: &str) -> Option<Architecture> {
        match value {
            "arm64" | "arm_64" | "aarch64" => Some(Architecture::Arm64),
            "x86_64" | "x86-64" | "amd64" => Some(Architecture::X86_64),
            _ => None,
        }
    }

    /// The cargo-lambda command building the function for this architecture.
    pub fn build_command(self) -> String {
        match self {
            Architecture::Arm64 => crate::HANDLER_BUILD_COMMAND.to_owned(),
            Architecture::X86_64 => {
                "cargo lambda build --release --x86-64 -p handler --bin connect-lookup".to_owned()
            }
        }
    }

    /// The ELF `e_machine` value of executables for this architecture.
    fn elf_machine(self) -> u16 {
        match self {
            Architecture::Arm64 => 0xB7,
            Architecture::X86_64 => 0x3E,
        }
    }
}

/// Checks that `dir/bootstrap` exists and is a 64-bit little-endian ELF executable for `arch`.
/// Returns the path of the binary.
pub fn check_bootstrap(dir: &Path, arch: Architecture) -> Result<PathBuf, AppError> {
    let path = dir.join("bootstrap");
    let mut header = [0u8; 20];
    let read = std::fs::File::open(&path).and_then(|mut f| f.read_exact(&mut header));
    match read {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(AppError::MissingBootstrap {
                path,
                command: arch.build_command(),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err(AppError::WrongArchitecture {
                path,
                found: "too short to be an executable".into(),
                expected: arch.name().into(),
                command: arch.build_command(),
            });
        }
        Err(source) => return Err(AppError::Io { path, source }),
    }
    let found = describe_elf(&header);
    let matches = header[..4] == *b"\x7fELF"
        && header[4] == 2
        && header[5] == 1
        && u16::from_le_bytes([header[18], header[19]]) == arch.elf_machine();
    if matches {
        Ok(path)
    } else {
        Err(AppError::WrongArchitecture {
            path,
            found,
            expected: arch.name().into(),
            command: arch.build_command(),
        })
    }
}

fn describe_elf(header: &[u8; 20]) -> String {
    if header[..4] != *b"\x7fELF" {
        return "not an ELF executable".into();
    }
    match u16::from_le_bytes([header[18], header[19]]) {
        0xB7 => "an arm64 (aarch64) executable".into(),
        0x3E => "an x86_64 executable".into(),
        other => format!("an ELF executable for machine 0x{other:x}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf(machine: u16) -> Vec<u8> {
        let mut h = vec![0x7f, b'E', b'L', b'F', 2, 1, 1, 0];
        h.resize(18, 0);
        h.extend_from_slice(&machine.to_le_bytes());
        h.resize(64, 0);
        h
    }

    #[test]
    fn accepts_the_declared_architecture_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin = dir.path().join("bootstrap");
        std::fs::write(&bin, elf(0xB7)).expect("write");
        assert_eq!(
            check_bootstrap(dir.path(), Architecture::Arm64).expect("arm64"),
            bin
        );
        let err = check_bootstrap(dir.path(), Architecture::X86_64).expect_err("x86 declared");
        let text = err.to_string();
        assert!(text.contains("arm64 (aarch64) executable"), "{text}");
        assert!(text.contains("--x86-64"), "{text}");
    }

    #[test]
    fn a_missing_binary_names_the_build_command() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = check_bootstrap(dir.path(), Architecture::Arm64).expect_err("missing");
        assert!(matches!(err, AppError::MissingBootstrap { .. }));
        assert!(
            err.to_string()
                .contains("cargo lambda build --release --arm64"),
            "{err}"
        );
    }

    #[test]
    fn garbage_is_not_an_executable() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("bootstrap"),
            b"#!/bin/sh\necho hello from a shell script\n",
        )
        .expect("write");
        let err = check_bootstrap(dir.path(), Architecture::Arm64).expect_err("script");
        assert!(err.to_string().contains("not an ELF executable"), "{err}");
        std::fs::write(dir.path().join("bootstrap"), b"x").expect("write");
        assert!(check_bootstrap(dir.path(), Architecture::Arm64).is_err());
    }

    #[test]
    fn architecture_names_round_trip() {
        for a in [Architecture::Arm64, Architecture::X86_64] {
            assert_eq!(Architecture::parse(a.name()), Some(a));
        }
        assert_eq!(Architecture::parse("mips"), None);
    }
}
