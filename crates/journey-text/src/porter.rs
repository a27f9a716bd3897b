//! porter (to be written)
