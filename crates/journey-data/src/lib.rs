//! # journey-data — the data sets of the NLP journey
//!
//! A catalog of named data sets (path, sha256, public source), a resolver
//! that finds each one on this machine or obtains it, and streaming readers
//! for the formats the chapters read: plain text, TSV/CSV, CoNLL columns,
//! fastText `__label__` lines, VADER ground truth, SemEval-2014 XML,
//! parallel text and HellaSwag.

pub mod catalog;
pub mod digest;
pub mod download;
pub mod error;
pub mod readers;
pub mod registry;
pub mod resolve;
pub mod testdata;

pub use catalog::{Catalog, Dataset, DatasetKind};
pub use error::DataError;
pub use resolve::{Resolved, Resolver, Source};
