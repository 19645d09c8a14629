//! selaras: translate an Indonesian article through a public machine
//! translation API, align the English with the Indonesian sentence by
//! sentence, check every pair, and write a parallel CSV for review.
//!
//! The modules follow the data, one stage each:
//! read ([`document`]) -> [`segment`] -> [`translate`] -> [`align`] ->
//! [`check`] -> write ([`output`]).

pub mod align;
pub mod check;
pub mod cmd;
pub mod document;
pub mod error;
pub mod output;
pub mod segment;
pub mod translate;
