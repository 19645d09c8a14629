//! One file per command. Each takes its parsed flags and returns an error
//! that `main` turns into a message and an exit code.

pub mod align;
pub mod apply;
pub mod check;
pub mod providers;
pub mod segment;
pub mod translate;
