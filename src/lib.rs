//! selaras: translate an Indonesian article through a public machine
//! translation API, align the English with the Indonesian sentence by
//! sentence, check every pair, and write a parallel CSV for review.
//!
//! The modules follow the data, one stage each:
//! read ([`document`]) -> [`segment`] -> [`translate`] -> [`align`] ->
//! [`check`] -> write ([`output`]).
//!
//! ```
//! use selaras::align::align;
//! use selaras::segment::{Lang, sentences};
//!
//! let id = sentences("Jend. Agus tiba pukul 10.30. Ia disambut warga.", Lang::Indonesian);
//! assert_eq!(id, ["Jend. Agus tiba pukul 10.30.", "Ia disambut warga."]);
//! let en = sentences("Gen. Agus arrived at 10.30 and was welcomed by residents.", Lang::English);
//! let links = align(&id, &en, Lang::Indonesian, Lang::English);
//! assert_eq!(links.len(), 1);
//! assert_eq!(links[0].shape(), "2-1");
//! ```

pub mod align;
pub mod check;
pub mod cmd;
pub mod config;
pub mod document;
pub mod error;
pub mod output;
pub mod segment;
pub mod translate;
