//! porter2 (to be written)
