//! sentences (to be written)
