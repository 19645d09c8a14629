//! One error type for the whole tool. Every message is a single line that says
//! what went wrong, where, and what to do about it; the variant decides the
//! exit code (SPEC §1).

use std::fmt;

/// Everything that can stop a run.
#[derive(Debug)]
pub enum Error {
    /// Bad usage or bad input (files, flags, environment). Exit code 2.
    Input(String),
    /// The translation service failed in a way retrying could not fix. Exit code 3.
    Service(String),
    /// Stopped by a signal: 130 for SIGINT (Ctrl-C), 143 for SIGTERM.
    Interrupted { code: i32, message: String },
}

impl Error {
    /// The process exit code SPEC §1 assigns to this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Service(_) => 3,
            Error::Interrupted { code, .. } => *code,
        }
    }

    pub fn input(msg: impl Into<String>) -> Error {
        Error::Input(msg.into())
    }

    pub fn service(msg: impl Into<String>) -> Error {
        Error::Service(msg.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(m) | Error::Service(m) | Error::Interrupted { message: m, .. } => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
